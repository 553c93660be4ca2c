"""Print: WeasyPrint turns the protocol's HTML into an archival PDF. Nothing else lives here.

WeasyPrint is imported only in this module because the import alone takes most of a second.
"""

from pathlib import Path

from django.conf import settings

STATIC_ROOTS = [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]


class RefusedFetch(ValueError):
    pass


def static_only_fetcher():
    """A URL fetcher that reads our own static files and refuses everything else.

    User text is escaped, but this stops any markup that slipped through from fetching a URL
    or reading a local file into the archived document: the render fails instead.
    """
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                path = Path(url.removeprefix("file://")).resolve()
                if any(path.is_relative_to(root) for root in STATIC_ROOTS):
                    return super().fetch(url, headers)
            raise RefusedFetch(f"The protocol may not load {url!r}")

    return StaticOnlyFetcher(allowed_protocols=["file"], fail_on_errors=True)


def html_to_pdf(html: str, *, archival: bool = True) -> bytes:
    """Print HTML to a tagged PDF; the archival form is PDF/A-3b."""
    import weasyprint

    document = weasyprint.HTML(string=html, url_fetcher=static_only_fetcher(), base_url=str(settings.BASE_DIR))
    # Tagged, so that screen readers and archives read the structure (headings, lists, tables).
    options = {"pdf_variant": "pdf/a-3b", "pdf_tags": True} if archival else {"pdf_tags": True}
    return document.write_pdf(**options)
