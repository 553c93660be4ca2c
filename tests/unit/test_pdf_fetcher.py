"""The PDF printer's URL fetcher reads our static files and nothing else, however a URL is spelled."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from weasyprint.urls import FatalURLFetchingError

from minutes.protocol.pdf import RefusedFetch, html_to_pdf, static_file

STATIC = Path(settings.BASE_DIR) / "static"


def up_to_root(folder: Path, encoded: str = "%2e%2e/") -> str:
    """As many percent-encoded ".." as lead from `folder` to /."""
    return encoded * len(folder.resolve().parts)


@pytest.mark.parametrize("dots", ["%2e%2e/", "%2E%2E/", ".%2e/", "%2e./", "..%2f", "%2e%2e%2f"])
def test_a_percent_encoded_climb_out_of_the_static_folder_is_refused(dots):
    url = f"file://{STATIC}/{up_to_root(STATIC, dots)}etc/passwd"
    with pytest.raises(RefusedFetch):
        static_file(url)


@pytest.mark.parametrize("markup", ['<a rel="attachment" href="{}">bilaga</a>', '<link rel="attachment" href="{}">'])
def test_the_printer_embeds_no_file_reached_by_a_percent_encoded_climb(markup):
    """An attachment would put the file into the PDF whole (it did: /etc/passwd); the print fails instead."""
    url = f"file://{STATIC}/{up_to_root(STATIC)}etc/passwd"
    with pytest.raises(FatalURLFetchingError) as refused:
        html_to_pdf(f"<html lang='sv'><body>{markup.format(url)}</body></html>", archival=False)
    assert isinstance(refused.value.__cause__, RefusedFetch)


@pytest.fixture
def static_folder(tmp_path) -> Path:
    """A static folder with a stylesheet, and symlinks from it to a file and a folder outside it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.css").write_text("body { color: red }")
    static = tmp_path / "static"
    static.mkdir()
    (static / "print.css").write_text("body { color: black }")
    (static / "escape.css").symlink_to(outside / "secret.css")
    (static / "elsewhere").symlink_to(outside, target_is_directory=True)
    with override_settings(STATICFILES_DIRS=[static]):
        yield static


def test_a_static_file_is_read(static_folder):
    assert static_file(f"file://{static_folder}/print.css") == (static_folder / "print.css").resolve()
    assert static_file(f"file://localhost{static_folder}/pr%69nt.css") == (static_folder / "print.css").resolve()


@pytest.mark.parametrize("name", ["escape.css", "elsewhere/secret.css", "elsewhere/../outside/secret.css"])
def test_a_symlink_out_of_the_static_folder_is_refused(static_folder, name):
    with pytest.raises(RefusedFetch):
        static_file(f"file://{static_folder}/{name}")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://example.org{static}/print.css",
        "file://{static}/missing.css",
        "file://{static}",
        "file://{static}/print.css%00.png",
        "http://127.0.0.1:9{static}/print.css",
        "data:text/css,body{{}}",
    ],
)
def test_anything_but_a_static_file_is_refused(static_folder, url):
    with pytest.raises(RefusedFetch):
        static_file(url.format(static=static_folder))


def test_the_printer_loads_a_static_stylesheet_and_no_symlinked_one(static_folder):
    page = '<html lang="sv"><head><link rel="stylesheet" href="file://{}"></head><body><p>Protokoll</p></body></html>'
    assert html_to_pdf(page.format(static_folder / "print.css"), archival=False).startswith(b"%PDF-")
    with pytest.raises(FatalURLFetchingError) as refused:
        html_to_pdf(page.format(static_folder / "escape.css"), archival=False)
    assert isinstance(refused.value.__cause__, RefusedFetch)
