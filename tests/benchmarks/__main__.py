"""`make bench`: run every benchmark module; each prints one JSON object per figure."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import tests.benchmarks as pkg


def main() -> int:
    wanted = set(sys.argv[1:])
    failed = 0
    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.name.startswith("bench_") or (wanted and info.name not in wanted):
            continue
        module = importlib.import_module(f"tests.benchmarks.{info.name}")
        try:
            module.main()
        except Exception as exc:  # one broken benchmark must not hide the others
            failed += 1
            print(f"# {info.name} failed: {exc!r}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
