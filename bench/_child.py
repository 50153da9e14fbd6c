"""Measuring in a fresh child process: wall time of one step and the child's peak RSS."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from bench._report import ROOT

MARK = "BENCH-RESULT "


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(step: Callable[[], dict[str, Any] | None]) -> None:
    """Run `step` once, timed, and print the result line for `run_child` to read."""
    before = peak_rss_mib()
    started = time.perf_counter()
    extra = step() or {}
    seconds = time.perf_counter() - started
    result = {"seconds": seconds, "peak_rss_mib": peak_rss_mib(), "rss_before_mib": before, **extra}
    print(MARK + json.dumps(result), flush=True)


def run_child(module: str, *args: str, timeout: float = 1800) -> dict[str, Any]:
    """Run `python -m <module> <args>` in a new process and return what it measured."""
    out = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, check=True, text=True,
                         capture_output=True, timeout=timeout)
    for line in out.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    raise RuntimeError(f"{module} {' '.join(args)} reported nothing:\n{out.stdout}\n{out.stderr}")
