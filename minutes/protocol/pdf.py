"""Print: WeasyPrint turns the protocol's HTML into an archival PDF. Nothing else lives here.

WeasyPrint is imported only in this module because the import alone takes most of a second.
"""

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings


class RefusedFetch(ValueError):
    pass


def static_file(url: str) -> Path:
    """The file a file:// URL names, if it is one of our static files; RefusedFetch otherwise.

    The path is decoded once (%2e%2e is "..") and resolved (every "..", every symlink) before it is
    compared with the static folders, and the file read is the one compared: nothing decodes the
    URL a second time on the way to the disk.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedFetch(f"The protocol may not load {url!r}")
    try:
        path = Path(url2pathname(parts.path)).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):  # missing, a symlink loop, a NUL byte
        raise RefusedFetch(f"The protocol may not load {url!r}") from None
    roots = [Path(folder).resolve() for folder in settings.STATICFILES_DIRS]
    if not path.is_file() or not any(path.is_relative_to(root) for root in roots):
        raise RefusedFetch(f"The protocol may not load {url!r}")
    return path


def static_only_fetcher():
    """A URL fetcher that reads our own static files and refuses everything else.

    User text is escaped, but this stops any markup that slipped through from fetching a URL
    or reading a local file into the archived document: the render fails instead.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    return StaticOnlyFetcher(allowed_protocols=["file"], fail_on_errors=True)


def html_to_pdf(html: str, *, archival: bool = True) -> bytes:
    """Print HTML to a tagged PDF; the archival form is PDF/A-3b."""
    import weasyprint

    document = weasyprint.HTML(string=html, url_fetcher=static_only_fetcher(), base_url=str(settings.BASE_DIR))
    # Tagged, so that screen readers and archives read the structure (headings, lists, tables).
    options = {"pdf_variant": "pdf/a-3b", "pdf_tags": True} if archival else {"pdf_tags": True}
    return document.write_pdf(**options)
