"""Bulk import of 10,000 harvest rows: the app's import against a plain executemany insert of the same rows.

The import: a co-op with 50 plots uploads harvest sheets (CSV, Vietnamese headers
and numbers, as the template) through ``traceability.services.imports.run_import``,
the service behind ``POST /api/v1/imports`` and the import page. A sheet holds at
most 5,000 rows (``sheets.MAX_ROWS``), so the 10,000 rows go in two sheets, each
its own transaction, as a co-op would upload them.

The baseline: every row the import wrote, in every table it wrote to (found by
comparing primary keys before and after), is read back, deleted, and inserted
again with ``executemany`` (one INSERT per table, the rows' own ids, all in one
transaction): the least any import of the same result could send.
The target is the import's time over the baseline's, both taken in this run.
"""

from __future__ import annotations

import csv
import io
import random
import time
from datetime import date, timedelta

from benchmarks.harness import Options, before_fix, bench_app, on_each_backend, target_lines

NAME = "bulk_import"
ROWS = 10_000
SHEET_ROWS = 5_000
PLOTS = 50
TARGET_RATIO = 3
HEADER = ["lô đất", "sản phẩm", "khối lượng", "đơn vị", "ngày thu hoạch", "ghi chú"]


def _seed(app) -> tuple[int, int]:
    from core.accounts.models import OrganizationKind
    from core.extensions import db
    from tests.builders import make_org
    from tests.traceability_builders import make_plot, point, quick_user

    with app.app_context():
        user = quick_user("Trần Văn Hợp")
        coop = make_org(OrganizationKind.COOPERATIVE, name="HTX Điều Lộc Ninh", owner=user, commune_code="25270")
        for number in range(PLOTS):
            make_plot(
                coop,
                name=f"Lô {number + 1}",
                crops=["cashew"],
                commune_code="25270",
                geometry=point(106.5 + number / 1000, 11.8),
            )
        ids = user.id, coop.id
        db.session.remove()
    return ids


def _sheet(rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    today = date.today()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    for _ in range(rows):
        kg = rng.randint(200, 5000) + rng.choice((0, 0.5, 0.25))
        day = today - timedelta(days=rng.randint(1, 300))
        writer.writerow(
            [
                f"Lô {rng.randint(1, PLOTS)}",
                "hạt điều thô",
                f"{kg:,.2f}".replace(",", " ").replace(".", ",").replace(" ", "."),
                "kg",
                day.strftime("%d/%m/%Y"),
                "nhập từ sổ thu mua",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _keys(connection, metadata) -> dict[str, set]:
    from sqlalchemy import select

    return {
        table.name: set(connection.execute(select(*table.primary_key.columns)).all())
        for table in metadata.sorted_tables
    }


def _import_sheets(app, user_id: int, coop_id: int, sheets: list[bytes]) -> tuple[float, int, int]:
    """Seconds for the import of every sheet, the statements it sent and the batches it made."""
    from core.accounts.models import User
    from core.extensions import db
    from traceability.services.imports import run_import

    seconds = statements = made = 0
    with app.app_context():
        from sqlalchemy import event

        counted = []

        def count(conn, cursor, statement, parameters, context, executemany):
            counted.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            for number, data in enumerate(sheets):
                user = db.session.get(User, user_id)
                db.session.commit()
                started = time.perf_counter()
                result = run_import(user, coop_id, "harvests", f"thu-hoach-{number + 1}.csv", data)
                seconds += time.perf_counter() - started
                made += result.created
                db.session.remove()
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        statements = len(counted)
        db.session.remove()
    return seconds, statements, made


def _new_rows(app, before: dict[str, set]) -> dict[str, list[dict]]:
    """The rows the import added, table by table (in the order tables may be filled)."""
    from sqlalchemy import select, tuple_

    from core.extensions import db

    added = {}
    with app.app_context(), db.engine.connect() as connection:
        after = _keys(connection, db.metadata)
        for table in db.metadata.sorted_tables:
            keys = after[table.name] - before[table.name]
            if not keys:
                continue
            columns = list(table.primary_key.columns)
            rows = []
            chunk = sorted(keys)
            for start in range(0, len(chunk), 5000):
                part = chunk[start : start + 5000]
                rows += [
                    dict(row._mapping) for row in connection.execute(select(table).where(tuple_(*columns).in_(part)))
                ]
            added[table.name] = rows
    return added


def _baseline(app, added: dict[str, list[dict]]) -> float:
    """Delete the import's rows, then time their plain executemany insert, every table in one transaction."""
    from sqlalchemy import delete, tuple_

    from core.extensions import db

    tables = {table.name: table for table in db.metadata.sorted_tables}
    with app.app_context():
        with db.engine.begin() as connection:
            for name in reversed(list(added)):
                table = tables[name]
                columns = list(table.primary_key.columns)
                keys = [tuple(row[c.name] for c in columns) for row in added[name]]
                for start in range(0, len(keys), 5000):
                    connection.execute(delete(table).where(tuple_(*columns).in_(keys[start : start + 5000])))
        started = time.perf_counter()
        with db.engine.begin() as connection:
            for name, rows in added.items():
                connection.execute(tables[name].insert(), rows)
        seconds = time.perf_counter() - started
    return seconds


def _measure(backend: str, database_url: str, options: Options) -> dict:
    from core.extensions import db

    rows, sheet_rows = (600, 300) if options.quick else (ROWS, SHEET_ROWS)
    sheets = [_sheet(sheet_rows, seed) for seed in range(rows // sheet_rows)]
    with bench_app(database_url) as app:
        user_id, coop_id = _seed(app)
        with app.app_context(), db.engine.connect() as connection:
            before = _keys(connection, db.metadata)
        imported, statements, made = _import_sheets(app, user_id, coop_id, sheets)
        assert made == rows, made
        added = _new_rows(app, before)
        baseline = _baseline(app, added)
    return {
        "backend": backend,
        "rows": rows,
        "sheets": len(sheets),
        "import_s": round(imported, 3),
        "import_rows_per_s": round(rows / imported, 1),
        "import_statements": statements,
        "baseline_s": round(baseline, 3),
        "baseline_inserts": {name: len(found) for name, found in added.items()},
        "ratio": round(imported / baseline, 2),
    }


def run(options: Options) -> dict:
    measured = on_each_backend(options, _measure, "the import is measured where production runs")
    pg = measured["postgresql"]
    targets = {
        "import_over_executemany": {
            "target": f"<= {TARGET_RATIO}",
            "measured": pg["ratio"],
            "met": pg["ratio"] <= TARGET_RATIO,
        }
    }
    summary = [
        f"{name}: import {m['rows']} rows in {m['import_s']} s ({m['import_rows_per_s']} rows/s, "
        f"{m['import_statements']} statements); executemany of the same rows {m['baseline_s']} s "
        f"({m['baseline_inserts']}); ratio {m['ratio']}"
        for name, m in measured.items()
    ]
    summary += target_lines(targets)
    return {
        "before": before_fix(NAME),
        "what": (
            "run_import of 10,000 harvest rows (two CSV sheets of 5,000, the sheet limit) over a plain executemany "
            "insert of every row the import wrote, to the same tables, in one transaction"
        ),
        "backends": measured,
        "targets": targets,
        "summary": summary,
    }
