"""PDF plumbing (app/core/output/pdf.py): the URL fetcher serves our static files only."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from app.core.output.pdf import RefusedURL, StaticFilesFetcher
from app.core.paths import ROOT


def test_the_pdf_fetcher_serves_our_static_files_and_data_uris_only(tmp_path: Path) -> None:
    fetcher = StaticFilesFetcher()
    font = fetcher.fetch((ROOT / "static/fonts/DejaVuSans.ttf").as_uri())
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    encoded = base64.b64encode("łów".encode()).decode()
    assert fetcher.fetch(f"data:text/plain;base64,{encoded}").read() == "łów".encode()
    outside = tmp_path / "secret.txt"
    outside.write_text("no")
    for url in ("http://example.org/logo.png", "https://example.org/x.css", "ftp://example.org/x",
                outside.as_uri(), "file:///etc/passwd", (ROOT / "static").as_uri() + "/../app/config.py"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
