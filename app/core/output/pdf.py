"""PDFs with WeasyPrint, fed only our own files: static/ and data: URIs, never the network."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.core.paths import ROOT

STATIC_ROOT = ROOT / "static"
log = logging.getLogger(__name__)


class RefusedURL(ValueError):
    """WeasyPrint asked for something that is neither one of our static files nor a data: URI."""


class StaticFilesFetcher(URLFetcher):
    """Serves files under one folder and data: URIs; refuses everything else, the network above all."""

    def __init__(self, root: Path = STATIC_ROOT) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.root = root.resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)  # decoded in memory by urllib's DataHandler
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(path.as_uri(), body=path.read_bytes(),
                                          headers={"Content-Type": content_type})
        log.warning("PDF rendering refused to fetch %s", url[:200])
        raise RefusedURL(f"not one of our static files: {url[:200]}")


class PdfBuilder:
    """Renders HTML documents one at a time and writes all their pages as one PDF.

    Rendering in chunks keeps each WeasyPrint document small and lets the caller report
    progress between chunks; `Document.copy(pages).write_pdf()` joins them at the end.
    """

    def __init__(self, stylesheet: str, extra_css: str = "") -> None:
        """`stylesheet` is a file under static/; `extra_css`, rules made for this run (geometry).

        Both are parsed once for the whole run, not once per chunk.
        """
        self.fetcher = StaticFilesFetcher()
        self.fonts = FontConfiguration()
        self.base_url = STATIC_ROOT.as_uri() + "/"
        self.stylesheets = [CSS(filename=str(STATIC_ROOT / stylesheet), url_fetcher=self.fetcher,
                                font_config=self.fonts)]
        if extra_css:
            self.stylesheets.append(CSS(string=extra_css, base_url=self.base_url, url_fetcher=self.fetcher,
                                        font_config=self.fonts))
        self.documents: list[Document] = []

    def add(self, html: str) -> int:
        """Lay out one chunk; returns its number of pages."""
        document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
            stylesheets=self.stylesheets, font_config=self.fonts)
        self.documents.append(document)
        return len(document.pages)

    @property
    def page_count(self) -> int:
        return sum(len(d.pages) for d in self.documents)

    def write(self, target: str | Path | IO[bytes]) -> None:
        if not self.documents:
            raise ValueError("nothing to write")
        pages = [page for document in self.documents for page in document.pages]
        self.documents[0].copy(pages).write_pdf(target)
