"""Time the public trace page of a lot made of 200 lots with 2,000 events, its lineage query and its tamper check.

Runs on SQLite (a file in a temporary folder) and, when the server at
``TEST_POSTGRES_URL`` (default postgresql://postgres@127.0.0.1:5432/test) is
reachable, on a private PostgreSQL database made for the run and dropped
after it. Usage::

    python -m benchmarks [--repeat 20] [--name trace-page] [--sqlite-only]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event, select

RESULTS = Path(__file__).resolve().parent / "results"


def _timed(work: Callable[[], object], repeat: int) -> dict:
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return {
        "repeat": repeat,
        "median_ms": round(statistics.median(durations), 2),
        "p95_ms": round(durations[max(0, int(len(durations) * 0.95) - 1)], 2),
        "min_ms": round(durations[0], 2),
        "max_ms": round(durations[-1], 2),
    }


def _queries(engine, work: Callable[[], object]) -> int:
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def run(backend: str, database_url: str, instance: Path, repeat: int) -> dict:
    from core.accounts.models import Membership, Role, User
    from core.extensions import db
    from nongsan_app import create_app
    from tests.conftest import test_overrides
    from tests.trace_page_builders import build_deep_lot
    from traceability.models import Batch
    from traceability.services import integrity, lineage
    from traceability.services.access import find_batch

    app = create_app(test_overrides(database_url, instance), environ={})
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        lot = build_deep_lot()
        build_seconds = round(time.perf_counter() - started, 1)
        batch = find_batch(lot.code)
        holder = db.session.scalar(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organization_id == batch.custodian_id, Membership.role == Role.OWNER)
        )
        holder_id, batch_id = holder.id, batch.id
        db.session.remove()

    client = app.test_client()
    url = f"/t/{lot.code}"

    def full_page():
        response = client.get(url, headers={"Accept-Language": "vi", "User-Agent": "benchmark-bot"})
        response.close()
        return response

    first = full_page()
    etag = first.headers["ETag"]

    def revalidation():
        client.get(url, headers={"If-None-Match": etag, "User-Agent": "benchmark-bot"}).close()

    def in_context(work):
        def wrapped():
            with app.app_context():
                user = db.session.get(User, holder_id)
                batch = db.session.get(Batch, batch_id)
                work(user, batch)
                db.session.remove()

        return wrapped

    lineage_query = in_context(lambda user, batch: lineage.lineage_nodes(batch, lineage.ANCESTORS))
    verification = in_context(lambda user, batch: integrity.verify(user, batch.code))
    with app.app_context():
        engine = db.engine
    result = {
        "backend": backend,
        "lot": {"code": lot.code, "ancestors": lot.ancestors, "events": lot.events, "build_seconds": build_seconds},
        "trace_page": {
            **_timed(full_page, repeat),
            "queries": _queries(engine, full_page),
            "html_bytes": len(first.data),
        },
        "trace_page_304": {**_timed(revalidation, repeat), "queries": _queries(engine, revalidation)},
        "lineage_query": {**_timed(lineage_query, repeat), "queries": _queries(engine, lineage_query)},
        "verification": {**_timed(verification, repeat), "queries": _queries(engine, verification)},
    }
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each operation (default 20)")
    parser.add_argument("--name", default="trace-page", help="name part of the results file (default trace-page)")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL even when it is reachable")
    args = parser.parse_args(argv)

    from tests.conftest import create_postgres_database, postgres_available

    runs = []
    with tempfile.TemporaryDirectory(prefix="nongsan-bench-") as folder:
        backends = [("sqlite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}", None)]
        if not args.sqlite_only:
            problem = postgres_available()
            if problem:
                print(f"PostgreSQL skipped: {problem}")
            else:
                url, drop = create_postgres_database()
                backends.append(("postgresql", url, drop))
        for backend, url, drop in backends:
            try:
                print(
                    f"{backend}: building a lot of 200 lots and 2,000 events, then timing ({args.repeat} runs each)...",
                    flush=True,
                )
                runs.append(run(backend, url, Path(folder) / backend, args.repeat))
            finally:
                if drop is not None:
                    drop()
    now = datetime.now(UTC)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{now:%Y-%m-%d}-{args.name}.json"
    document = {
        "name": args.name,
        "run_at": now.isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    document["runs"] = runs
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    for result in runs:
        page, cached = result["trace_page"], result["trace_page_304"]
        print(
            f"{result['backend']}: trace page {page['median_ms']} ms median ({page['queries']} queries, "
            f"{page['html_bytes']} bytes), "
            f"304 {cached['median_ms']} ms ({cached['queries']} queries), lineage "
            f"{result['lineage_query']['median_ms']} ms, "
            f"verification {result['verification']['median_ms']} ms"
        )
    print(f"written: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
