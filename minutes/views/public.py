"""Public pages: the notice board (anslagstavla), its archive and feed, and seal verification."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from committee import ratelimit
from minutes.forms import VerifyForm
from minutes.models import Announcement, DocumentKind
from minutes.portal.feeds import SiteFeed
from minutes.seal.verify import MAX_UPLOAD_BYTES, TOO_LARGE
from minutes.verification import verify_upload

CHECKS_PER_ADDRESS = 10  # files one address may check …
CHECK_WINDOW_SECONDS = 600  # … in ten minutes
FORM_OVERHEAD_BYTES = 64 * 1024  # the multipart framing and the CSRF token around the file


def notices(today: datetime.date | None = None, *, archived: bool = False):
    today = today or timezone.localdate()
    rows = Announcement.objects.select_related("meeting__committee", "round__item").prefetch_related("round__documents")
    return rows.filter(take_down_on__lte=today) if archived else rows.filter(take_down_on__gt=today)


def sealed_protocol(announcement: Announcement):
    wanted = DocumentKind.PROTOCOL if announcement.round.item_id is None else DocumentKind.EXTRACT
    return next((d for d in announcement.round.documents.all() if d.kind == wanted), None)


def sealed_certificate(announcement: Announcement):
    return next((d for d in announcement.round.documents.all() if d.kind == DocumentKind.CERTIFICATE), None)


def notice_board(request: HttpRequest, archived: bool = False) -> HttpResponse:
    rows = [(a, sealed_protocol(a), sealed_certificate(a)) for a in notices(archived=archived)]
    return render(request, "minutes/notice_board.html", {"notices": rows, "archived": archived})


class NoticeFeed(SiteFeed):
    feed_type = Atom1Feed
    link = "/anslagstavla/"

    def title(self) -> str:
        return _("Notice board: adjusted protocols")

    def subtitle(self) -> str:
        return _("Announcements of adjusted protocols; the appeal period runs three weeks from the day posted.")

    def items(self):
        return Announcement.objects.select_related("meeting__committee", "round__item").order_by("-posted_on", "-id")[
            :50
        ]

    def item_title(self, item: Announcement) -> str:
        scope = f", § {item.round.item.number}" if item.round.item_id else ""
        return f"{item.meeting.committee.name}, sammanträde {item.meeting.date:%Y-%m-%d}{scope}"

    def item_description(self, item: Announcement) -> str:
        return (
            f"Justerat {item.adjusted_on:%Y-%m-%d}. Anslaget {item.posted_on:%Y-%m-%d}. "
            f"Sista dag för överklagande {item.appeal_ends_on:%Y-%m-%d}. Protokollet förvaras: {item.kept_at}."
        )

    def item_link(self, item: Announcement) -> str:
        return reverse("notice-board") + f"#anslag-{item.pk}"

    def item_pubdate(self, item: Announcement) -> datetime.datetime:
        return item.announced_at

    def item_updateddate(self, item: Announcement) -> datetime.datetime:
        return item.announced_at


@csrf_exempt  # the CSRF check reads the body: the checks below come first, then `_verify` checks the token
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone may check a PDF; the answer never depends on who asks.

    Checking costs CPU, so an address may check a few files in a while, and a file over the limit
    is refused before Django reads it (it would be spooled to disk first).
    """
    if request.method == "POST":
        if not ratelimit.allow("verify", request, limit=CHECKS_PER_ADDRESS, seconds=CHECK_WINDOW_SECONDS):
            message = _("You have checked many files in a short time. Wait a few minutes and try again.")
            response = refused(request, message, status=429)
            response["Retry-After"] = str(CHECK_WINDOW_SECONDS)
            return response
        if declared_length(request) > MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES:
            return refused(request, TOO_LARGE, status=413)
    return _verify(request)


def declared_length(request: HttpRequest) -> int:
    """The body's length as Django will read it (WSGIRequest parses CONTENT_LENGTH just so)."""
    try:
        return int(request.META.get("CONTENT_LENGTH"))
    except (TypeError, ValueError):
        return 0


def refused(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    form = VerifyForm(data={})
    form.full_clean()
    form.errors["file"] = form.error_class([message])
    return render(request, "minutes/verify.html", {"form": form, "result": None}, status=status)


@csrf_protect
def _verify(request: HttpRequest) -> HttpResponse:
    result = None
    form = VerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = verify_upload(upload, size=upload.size)
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "minutes/verify.html", {"form": form, "result": result}, status=status)
