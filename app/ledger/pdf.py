"""Statement PDFs with WeasyPrint, fed only our own files.

The template gets plain values; the URL fetcher serves `file:` URLs inside `static/` and
`data:` URLs, and refuses everything else (no network access while rendering, and no reading
files outside the app's static folder).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.core.paths import ROOT

STATIC = (ROOT / "static").resolve()


class LocalOnlyFetcher(URLFetcher):
    """Serve files under `static/` (and `data:` URLs); refuse network and other paths."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"refused to fetch {url!r}: only the app's own files are used")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(STATIC) or not path.is_file():
            raise ValueError(f"refused to fetch {url!r}: outside the static folder")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})


def render_pdf(template: str, **context: Any) -> bytes:
    html = render_template(template, **context)
    return HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=LocalOnlyFetcher()).write_pdf()
