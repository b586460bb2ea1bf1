"""Run the benchmarks and write their results: ``python -m benchmarks [--only NAME ...] [--repeat N]``.

PostgreSQL (``TEST_POSTGRES_URL``, default postgresql://postgres@127.0.0.1:5432/test) and Redis
(``TEST_REDIS_URL``, default redis://127.0.0.1:6379/0) as in CI; each benchmark makes its own database and drops
it afterwards. A benchmark whose services are missing says so and writes nothing.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time

from benchmarks.harness import Options, write_result

# In the order they run; each is benchmarks/<name>.py with NAME and run(options) -> dict.
BENCHMARKS = ["trace_page", "lineage", "supply_report", "checkout", "bulk_import", "label_pdf", "open_data_csv", "soak"]


class Skipped(Exception):
    """A benchmark could not run here (a service is missing): its reason is printed, no result is written."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, help="run only these benchmarks")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each measured operation (default 15)")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite figures")
    parser.add_argument(
        "--quick", action="store_true", help="small data, to check the benchmark code runs (results not written)"
    )
    args = parser.parse_args(argv)
    options = Options(repeat=args.repeat, sqlite=not args.no_sqlite, postgres=True, quick=args.quick)
    failed = []
    for name in args.only or BENCHMARKS:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            figures = module.run(options)
        except Skipped as reason:
            print(f"  skipped: {reason}", flush=True)
            failed.append(name)
            continue
        figures["duration_s"] = round(time.perf_counter() - started, 1)
        for line in figures.get("summary", []):
            print(f"  {line}", flush=True)
        if args.quick:
            print("  (quick run: results not written)", flush=True)
        else:
            print(f"  written: {write_result(name, figures)}", flush=True)
    if failed:
        print(f"not measured: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
