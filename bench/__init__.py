"""Benchmarks: `python -m bench [name ...]` runs them and rewrites their sections of
docs/benchmarks.md (`make bench` runs them all).

A benchmark is a module of this package whose name does not start with an underscore and
which has `run() -> str`, returning its Markdown section (starting with a `## ` heading).
Drop a module in and it is found; `python -m bench <name>` runs that one alone and leaves the
other sections of the file as they were. Helpers for sections, the machine description and
measurements in child processes are in `bench._report` and `bench._child`.
"""
