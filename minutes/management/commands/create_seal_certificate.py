from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from minutes.seal.certificate import (
    DEFAULT_VALID_DAYS,
    DEMO_ORGANISATION,
    create_organisation_certificate,
    default_common_name,
    fingerprint,
    read_signer,
)


class Command(BaseCommand):
    help = (
        "Create a self-signed seal certificate for the organisation (PKCS#12, opened with "
        "PARAGRAF_SEAL_PASSWORD), for development and the demo. Production uses a certificate from a CA."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation", help=f"The certificate's O (default for a demo certificate: {DEMO_ORGANISATION})."
        )
        parser.add_argument(
            "--common-name", help="The certificate's CN (default: Paragraf's seal for the organisation)."
        )
        parser.add_argument(
            "--output", help=f"The file to write (default: PARAGRAF_SEAL_PKCS12, {settings.PARAGRAF_SEAL_PKCS12})."
        )
        parser.add_argument("--valid-days", type=int, default=DEFAULT_VALID_DAYS, help="How long it is valid.")
        parser.add_argument("--force", action="store_true", help="Replace an existing file.")
        parser.add_argument("--if-missing", action="store_true", help="Do nothing if the file exists.")
        parser.add_argument(
            "--demo",
            action="store_true",
            default=True,
            help="Mark the certificate, and every stamp made with it, as a demo (the default).",
        )
        parser.add_argument("--no-demo", dest="demo", action="store_false", help="Do not mark it as a demo.")

    def handle(
        self,
        *args,
        organisation: str | None,
        common_name: str | None,
        output: str | None,
        valid_days: int,
        force: bool,
        if_missing: bool,
        demo: bool,
        **options,
    ):
        path = Path(output) if output else Path(settings.PARAGRAF_SEAL_PKCS12)
        if path.exists() and if_missing:
            return
        if path.exists() and not force:
            raise CommandError(f"{path} exists; use --force to replace it.")
        if organisation is None:
            if not demo:
                raise CommandError("--no-demo needs --organisation.")
            organisation = DEMO_ORGANISATION
        if valid_days < 1:
            raise CommandError("--valid-days must be at least 1.")
        password = settings.PARAGRAF_SEAL_PASSWORD or ""
        try:
            create_organisation_certificate(
                path,
                password,
                organisation=organisation,
                common_name=common_name or default_common_name(organisation, demo=demo),
                demo=demo,
                valid_days=valid_days,
                overwrite=force,
            )
        except FileExistsError:
            raise CommandError(f"{path} exists; use --force to replace it.") from None
        except ValueError as error:  # a name longer than a certificate allows
            raise CommandError(str(error)) from None
        certificate = read_signer(path, password).signing_cert
        self.stdout.write(f"Wrote {path}")
        self.stdout.write(f"Subject: {certificate.subject.human_friendly}")
        self.stdout.write(f"SHA-256 fingerprint: {fingerprint(certificate)}")
