"""A meeting (sammanträde), who attended it and who adjusts its protocol."""

import datetime

from django.db import models
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from committee.models import Committee, Person

ADJUSTMENT_DAYS = 14  # KL 5:69


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LOCKED = "locked", _("Sent for adjustment")
    ADJUSTED = "adjusted", _("Adjusted")
    ANNOUNCED = "announced", _("Announced")


class Meeting(models.Model):
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("committee")
    )
    number = models.PositiveSmallIntegerField(_("number in the year"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    # Moved by minutes.adjustment alone (send, reopen, the last approval, announce): never by a form.
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus, default=MeetingStatus.DRAFT, editable=False
    )
    chair = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("chair")
    )
    secretary = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("secretary")
    )
    adjustment_at = models.DateTimeField(_("time of adjustment"), null=True, blank=True)
    adjustment_place = models.CharField(_("place of adjustment"), max_length=200, blank=True)
    adjustment_date_only = models.BooleanField(
        _("adjusted on a day without a set time"),
        default=False,
        help_text=_("The protocol then prints only the date of adjustment."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # None follows the committee's rule (Committee.notice_days); a number overrides it for this meeting.
    notice_days = models.PositiveSmallIntegerField(
        _("notice days"),
        null=True,
        blank=True,
        help_text=_("How many days before the meeting the notice goes out; empty follows the committee's rule."),
    )

    class Meta:
        ordering = ["-date", "-number"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                "committee", ExtractYear("date"), "number", name="meeting_number_unique_in_committee_year"
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | models.Q(start_time__isnull=True)
                | models.Q(end_time__gte=models.F("start_time")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee.short_name} {self.date:%Y-%m-%d} (nr {self.number}/{self.date.year})"

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def adjustment_deadline(self) -> datetime.date:
        return self.date + datetime.timedelta(days=ADJUSTMENT_DAYS)

    @property
    def notice_rule(self) -> int:
        """How many days before the meeting its notice goes out: the meeting's own rule, else its committee's."""
        return self.notice_days if self.notice_days is not None else self.committee.notice_days

    @property
    def is_editable(self) -> bool:
        return self.status == MeetingStatus.DRAFT


class AttendanceFunction(models.TextChoices):
    SERVING = "serving", _("Serving (member or substitute with a vote)")
    NON_SERVING = "non_serving", _("Substitute present, not serving")
    OTHER = "other", _("Other present")


class Attendance(models.Model):
    """One person's presence in one function over a range of §§ (the whole meeting by default).

    Serving status is per §: a late arrival is a substitute serving up to a §, then the member
    from the next one, each as a row with its range.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("person"))
    function = models.CharField(_("function"), max_length=20, choices=AttendanceFunction)
    replaces = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("serving in place of"),
    )
    from_item = models.ForeignKey(
        "minutes.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from §"),
    )
    to_item = models.ForeignKey(
        "minutes.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to §"),
    )
    # A late arrival or early departure given by the clock: the §§ it covers follow from the §§' start
    # times (minutes.attendance.first_at / last_before), so it may be entered before the §§ exist.
    from_time = models.TimeField(_("from (time)"), null=True, blank=True)
    to_time = models.TimeField(_("to (time)"), null=True, blank=True)
    # A § given by number before it exists: the line attaches to it when it is added.
    pending_from_number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    pending_to_number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    title = models.CharField(
        _("title"), max_length=120, blank=True, help_text=_("For others present, e.g. their office.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.person} ({self.get_function_display()})"


class Adjuster(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="adjusters")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("adjuster")
        verbose_name_plural = _("adjusters")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="adjuster_once_per_meeting")]

    def __str__(self) -> str:
        return str(self.person)
