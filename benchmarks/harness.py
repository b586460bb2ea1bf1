"""What every benchmark shares: timing by repeated runs, SQL round trips, databases made for the run, result files.

A benchmark is a module of this package with ``NAME`` and ``run(options) -> dict``; ``python -m benchmarks`` runs
them in turn. Each result file, ``benchmarks/results/<NAME>.json``, carries the machine, the commit and the date of
the run beside the figures, so that a committed result says where it came from.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Options:
    repeat: int  # timed runs of each measured operation
    sqlite: bool  # measure on SQLite too, where the figures differ
    postgres: bool  # measure on PostgreSQL (the production database)
    quick: bool  # smaller data, for a smoke run of the benchmark code itself (results are not written)


def timed(work: Callable[[], object], repeat: int, warmup: int = 1) -> dict:
    """Median, p95, min and max wall time of ``work`` over ``repeat`` runs, after ``warmup`` untimed runs."""
    for _ in range(warmup):
        work()
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return {
        "repeat": repeat,
        "median_ms": round(statistics.median(durations), 3),
        "p95_ms": round(durations[max(0, int(len(durations) * 0.95 + 0.5) - 1)], 3),
        "min_ms": round(durations[0], 3),
        "max_ms": round(durations[-1], 3),
    }


def round_trips(engine, work: Callable[[], object]) -> int:
    """How many statements ``work`` sends to the database (transaction control not counted)."""
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def postgres_problem() -> str | None:
    from tests.conftest import postgres_available

    return postgres_available()


@contextmanager
def postgres_database() -> Iterator[str]:
    """A private database on the server at TEST_POSTGRES_URL, dropped afterwards."""
    from tests.conftest import create_postgres_database

    url, drop = create_postgres_database()
    try:
        yield url
    finally:
        drop()


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="nongsan-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"


@contextmanager
def bench_app(database_url: str, **overrides) -> Iterator:
    """The app on ``database_url`` with the tests' settings (no servers needed), its tables created."""
    from core.extensions import db
    from nongsan_app import create_app
    from tests.conftest import test_overrides

    with tempfile.TemporaryDirectory(prefix="nongsan-bench-instance-") as instance:
        app = create_app(test_overrides(database_url, Path(instance), **overrides), environ={})
        with app.app_context():
            db.create_all()
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def backends(options: Options) -> list[tuple[str, Callable]]:
    """(name, context manager giving a database URL) for each database the run measures."""
    chosen = []
    if options.postgres:
        problem = postgres_problem()
        if problem:
            print(f"  PostgreSQL skipped: {problem}", flush=True)
        else:
            chosen.append(("postgresql", postgres_database))
    if options.sqlite:
        chosen.append(("sqlite", sqlite_database))
    return chosen


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
        return head + ("+uncommitted" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict:
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        model = platform.processor()
    try:
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        memory_kb = 0
    return {
        "arch": platform.machine(),
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def write_result(name: str, figures: dict) -> Path:
    """``benchmarks/results/<name>.json``: the figures with the machine, the commit and the date of the run."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    document = {
        "name": name,
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": machine(),
        **figures,
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def before_fix(name: str) -> dict | None:
    """The figures of ``benchmarks/results/<name>.before.json``, a run of this benchmark on the app code as it was
    before a fix (with its own commit and date), so that a result shows before and after side by side."""
    path = RESULTS / f"{name}.before.json"
    if not path.is_file():
        return None
    document = json.loads(path.read_text())
    return {key: document.get(key) for key in ("commit", "run_at", "targets", "summary")}


def on_each_backend(options: Options, measure: Callable[[str, str, Options], dict], why_postgres: str) -> dict:
    """``measure(backend, database_url, options)`` on each database of the run, PostgreSQL required (``why_postgres``
    says why in the skip message)."""
    from benchmarks.__main__ import Skipped

    chosen = backends(options)
    if not any(name == "postgresql" for name, _ in chosen):
        raise Skipped(f"PostgreSQL is needed ({why_postgres})")
    measured = {}
    for name, database in chosen:
        with database() as url:
            measured[name] = measure(name, url, options)
    return measured


def target_lines(targets: dict) -> list[str]:
    """One summary line per target: what it is, what was measured, met or MISSED."""
    return [
        f"target {key} {t['target']}: {t['measured']} {'met' if t['met'] else 'MISSED'}" for key, t in targets.items()
    ]
