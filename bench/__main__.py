"""Run every benchmark (or the ones named): `python -m bench`, `python -m bench plan feed`.

Options (``--million``) are left in sys.argv for the benchmarks that read them.

Each module bench/<name>_bench.py has a `main() -> None` that prints its figures
next to their targets. Discovery by file name keeps this file free of edits
when a benchmark is added.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def available() -> list[str]:
    return sorted(p.stem.removesuffix("_bench") for p in HERE.glob("*_bench.py"))


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("--")] or available()
    unknown = [n for n in names if n not in available()]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}", file=sys.stderr)
        return 2
    for name in names:
        print(f"== {name} ==", flush=True)
        importlib.import_module(f"bench.{name}_bench").main()
        print(flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
