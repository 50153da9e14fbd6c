"""Reading a PDF back, as the tests of badges, slips and agreements do: its text (pdftotext), its
QR codes (pdftoppm and zbar), its pages and everything inside its compressed streams."""

from __future__ import annotations

import contextlib
import re
import subprocess
import zlib
from pathlib import Path


def save(tmp_path: Path, name: str, data: bytes) -> Path:
    assert data.startswith(b"%PDF-"), data[:200]
    path = tmp_path / name
    path.write_bytes(data)
    return path


def pdf_text(pdf: Path) -> str:
    """The PDF's text with whitespace collapsed (names break across lines on a badge)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True)
    return " ".join(out.stdout.decode().split())


def page_texts(data: bytes, tmp_path: Path) -> list[str]:
    """Each page's text, whitespace collapsed (pdftotext ends every page with a form feed)."""
    path = save(tmp_path, "pages.pdf", data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    return [" ".join(page.split()) for page in out.stdout.decode().split("\f")[:-1]]


def qr_payloads(pdf: Path, tmp_path: Path) -> list[str]:
    """Every QR code on every page, rendered at 150 dpi and decoded by zbar."""
    prefix = tmp_path / f"{pdf.stem}-page"
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(prefix)], check=True)
    payloads: list[str] = []
    for page in sorted(tmp_path.glob(f"{prefix.name}-*.png")):
        out = subprocess.run(["zbarimg", "-q", "--raw", str(page)], check=True, capture_output=True)
        payloads += out.stdout.decode().split()
    return payloads


def pdf_bytes_inflated(pdf: Path) -> bytes:
    """The file with every compressed stream inflated, to search everything that is in it."""
    data = pdf.read_bytes()
    parts = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(stream))
    return b"\n".join(parts)


def page_sizes(pdf: Path) -> list[str]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], check=True, capture_output=True)
    return re.findall(r"Page\s+\d+ size:\s+([\d.]+ x [\d.]+ pts)", out.stdout.decode())
