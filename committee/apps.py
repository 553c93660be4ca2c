from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("Committees")

    def ready(self) -> None:
        from committee import checks  # noqa: F401  (registers the deployment checks)
        from committee.bounds import CONVERTERS

        for name, converter in CONVERTERS.items():
            register_converter(converter, name)
