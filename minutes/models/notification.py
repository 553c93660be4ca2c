"""The e-mails Paragraf has sent: one row per event and recipient, so that none is sent twice."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A mail sent (minutes.notifications): its key names the event and the recipient, and is unique.

    A worker that finds a reminder's key taken knows it went out already, whichever process sent it.
    """

    key = models.CharField(_("event and recipient"), max_length=200, unique=True)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=300)
    sent_at = models.DateTimeField(_("time sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.key} → {self.recipient}"
