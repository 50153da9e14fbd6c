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


def cpu_seconds() -> float:
    """User + system CPU time of this process so far, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(step: Callable[[], dict[str, Any] | None]) -> None:
    """Run `step` once and print what it took for `run_child` to read: wall seconds, CPU seconds
    (which other load on the machine disturbs much less) and the process's peak RSS."""
    before = peak_rss_mib()
    cpu = cpu_seconds()
    started = time.perf_counter()
    extra = step() or {}
    seconds = time.perf_counter() - started
    result = {"seconds": seconds, "cpu_seconds": cpu_seconds() - cpu, "peak_rss_mib": peak_rss_mib(),
              "rss_before_mib": before, **extra}
    print(MARK + json.dumps(result), flush=True)


def run_child(module: str, *args: str, timeout: float = 1800) -> dict[str, Any]:
    """Run `python -m <module> <args>` in a new process and return what it measured."""
    out = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, check=True, text=True,
                         capture_output=True, timeout=timeout)
    for line in out.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    raise RuntimeError(f"{module} {' '.join(args)} reported nothing:\n{out.stdout}\n{out.stderr}")
