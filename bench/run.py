"""`make bench`: every benchmark in bench/, printed as plain lines (figures for the notes)."""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

MODULES = [
    name
    for name in (
        "bench_workdays",
        "bench_dossiers",
        "bench_monitoring",
        "bench_feedback",
        "bench_units",
        "bench_documents",
        "bench_http",
        "bench_growth",
        "bench_city",
        "bench_calendar_recompute",
        "bench_audit_reads",
    )
    if (HERE / f"{name}.py").exists()
]


def main() -> int:
    only = os.environ.get("BENCH")
    for name in MODULES:
        if only and only not in name:
            continue
        started = time.perf_counter()
        print(f"== {name} ==", flush=True)
        module = importlib.import_module(name)
        for line in module.run():
            print(line, flush=True)
        print(f"({name} took {time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
