"""Fixtures for sealing: one organisation certificate per run, sealed files in a temporary folder."""

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from minutes.seal.certificate import create_organisation_certificate

SEAL_PASSWORD = "test-seal"


@pytest.fixture(scope="session")
def seal_certificate_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seal") / "organisation.p12"
    create_organisation_certificate(
        path, SEAL_PASSWORD, organisation="Årstadals stadsdelsnämnd", common_name="Paragraf testsigill"
    )
    return path


@pytest.fixture
def seal_certificate(settings, tmp_path, seal_certificate_file) -> Path:
    """The organisation certificate in settings, and a fresh media folder for the sealed files."""
    settings.PARAGRAF_SEAL_PKCS12 = seal_certificate_file
    settings.PARAGRAF_SEAL_PASSWORD = SEAL_PASSWORD
    settings.MEDIA_ROOT = tmp_path / "media"
    return seal_certificate_file


@pytest.fixture
def pdf_text() -> Callable[[bytes], str]:
    """The text of a PDF as poppler's pdftotext reads it back."""

    def extract(data: bytes) -> str:
        return subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()

    return extract
