"""docs/benchmarks.md: one section per benchmark module, merged so that each can run alone."""

from __future__ import annotations

import os
import platform
import re
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Written by `make bench` (`python -m bench`); `python -m bench <name>` reruns one benchmark
and rewrites only its section. Each section says when and on what it was measured, and the
floor it is compared with, measured in the same run.
"""


def machine(*packages: str) -> str:
    """One line about where this ran: date, CPUs, load, Python and the packages that matter."""
    versions = []
    for name in packages:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    parts = [
        datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        f"nproc {os.cpu_count()}",
        f"load average at start {load}",
        f"Python {sys.version.split()[0]}",
        f"{platform.system()} {platform.release()}",
        *versions,
    ]
    return " · ".join(parts)


def merge_section(name: str, markdown: str, path: Path = REPORT) -> None:
    """Put `markdown` between this benchmark's markers, replacing what was there."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{markdown.strip()}\n{end}"
    text = path.read_text() if path.exists() else HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    merged, found = pattern.subn(lambda _m: block, text)
    text = merged if found else text.rstrip() + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text.endswith("\n") else text + "\n")
