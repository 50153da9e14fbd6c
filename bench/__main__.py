"""`python -m bench [name ...]`: run the benchmarks (all of them by default) and write their
sections of docs/benchmarks.md."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench
from bench._report import REPORT, merge_section


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(bench.__path__)
                  if not m.name.startswith("_"))


def main(names: list[str]) -> int:
    known = available()
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}. Known: {', '.join(known)}.", file=sys.stderr)
        return 2
    for name in names or known:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name} ==", flush=True)
        section = module.run()
        merge_section(name, section)
        print(section, flush=True)
    print(f"Written: {REPORT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
