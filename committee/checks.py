"""Deployment checks of Paragraf's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs) -> list[Warning]:
    if settings.PARAGRAF_SITE_URL:
        return []
    return [
        Warning(
            "PARAGRAF_SITE_URL is not set: links in feeds and mails follow the Host header of a request.",
            hint="Set PARAGRAF_SITE_URL to the address the public uses, e.g. https://paragraf.example.se.",
            id="paragraf.W001",
        )
    ]


@register(deploy=True)
def check_mail(app_configs, **kwargs) -> list[Warning]:
    if settings.MAILERS.get("default", {}).get("BACKEND") == SMTP:
        return []
    return [
        Warning(
            "No mail server is configured: Paragraf sends no mail, and password reset by e-mail is off.",
            hint="Set PARAGRAF_EMAIL_HOST (and PARAGRAF_EMAIL_USER, PARAGRAF_EMAIL_PASSWORD, PARAGRAF_EMAIL_FROM).",
            id="paragraf.W002",
        )
    ]
