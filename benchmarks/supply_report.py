"""The department's supply report over a generated province of about 1,000,000 events.

The app's report (``reports.services.supply_report``, what ``GET /api/v1/reports/supply`` calls: the officer's
check, the figures and the rollup's freshness) reads the harvest rollup, a table ``reports.rollup.refresh`` rebuilds
from the event log. So the honest comparison is the best hand-written SQL over the same data the app's query reads:
one ``GROUP BY`` over ``report_harvest_rollup``. Target: the app's time over that SQL's time at most 1.5. The same
figures as the API sends them (``describe``: names translated, decimals as text, a cost that grows with the rows
shown, not the events) are timed beside it (``app_with_json_values``), for information.

For information, the same figures from the raw tables (events, event_quantities, batches, batch_plots, plots) by
hand-written SQL: what a report would cost without the rollup. All three must give the same figures (asserted).
Filter: the whole province, the last complete crop season, by commodity and commune.
"""

from __future__ import annotations

import time
from decimal import Decimal

from benchmarks import harness

NAME = "supply_report"
TARGET_RATIO = 1.5
GROUP_BY = ("commodity", "commune")

# Producers counted by grouping per producer first (a hash aggregate) rather than COUNT(DISTINCT), which sorts.
ROLLUP_SQL = """
SELECT commodity, commune_code, SUM(quantity_kg) AS quantity_kg, SUM(lots) AS lots, COUNT(*) AS producers
FROM (
    SELECT commodity, commune_code, producer_id, SUM(quantity_kg) AS quantity_kg, SUM(lots) AS lots
    FROM report_harvest_rollup
    WHERE certification = '' AND ym BETWEEN :first_ym AND :last_ym
    GROUP BY commodity, commune_code, producer_id
) AS per_producer
GROUP BY commodity, commune_code
ORDER BY commodity, commune_code
"""

# The rollup's grain (commodity, product, commune, producer, month) first, so that lots count as the report
# counts them; then the report's grouping. Lots declared never harvested are left out, as the rollup does.
RAW_SQL = """
WITH shares AS (
    SELECT b.id AS batch_id, b.commodity, b.product, p.commune_code, p.organization_id AS producer_id,
           b.harvest_end,
           b.initial_quantity * CASE WHEN b.unit = 't' THEN 1000 ELSE 1 END * p.area_ha
             / SUM(p.area_ha) OVER (PARTITION BY b.id) AS quantity_kg
    FROM events e
    JOIN event_quantities q ON q.event_id = e.id AND q.role = 'output'
    JOIN batches b ON b.id = q.batch_id
    JOIN batch_plots bp ON bp.batch_id = b.id
    JOIN plots p ON p.id = bp.plot_id
    WHERE e.operation = 'harvest' AND b.harvest_end BETWEEN :first_day AND :last_day
      AND NOT EXISTS (SELECT 1 FROM error_declarations d WHERE d.event_id = e.id AND d.reason = 'did_not_occur')
), cells AS (
    SELECT commodity, commune_code, producer_id, SUM(quantity_kg) AS quantity_kg,
           COUNT(DISTINCT batch_id) AS lots
    FROM shares
    GROUP BY commodity, product, commune_code, producer_id, {month}
)
SELECT commodity, commune_code, SUM(quantity_kg) AS quantity_kg, SUM(lots) AS lots,
       COUNT(DISTINCT producer_id) AS producers
FROM cells
GROUP BY commodity, commune_code
ORDER BY commodity, commune_code
"""


def measure(url: str, options: harness.Options, scale: float) -> dict:
    from sqlalchemy import func, select, text

    from benchmarks import province
    from core.accounts.models import User
    from core.extensions import db
    from reports import services
    from reports.describe import describe
    from reports.filters import Filters
    from reports.models import HarvestRollup
    from traceability.models import Event

    with harness.bench_app(url) as app:
        with app.app_context():
            started = time.perf_counter()
            generated = province.generate(scale=scale)
            generation_s = round(time.perf_counter() - started, 1)
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.exec_driver_sql("VACUUM ANALYZE")
            events = db.session.scalar(select(func.count(Event.id)))
            rollup_rows = db.session.scalar(select(func.count(HarvestRollup.id)))
            db.session.remove()
        season = generated.seasons[-1]
        filters = Filters(period=season)
        with app.test_request_context():
            officer = db.session.get(User, generated.officer_id)

            def app_report():
                # The report's figures as the service computes them (what GET /api/v1/reports/supply calls)
                return services.supply_report(officer, filters, GROUP_BY, "month")

            def api_report():
                # ... and as the API sends them (names translated, decimals as text): for information
                return describe(app_report())

            window = {"first_ym": season.first_ym, "last_ym": season.last_ym}
            days = {"first_day": season.start, "last_day": season.end}

            def by_rollup():
                return db.session.execute(text(ROLLUP_SQL), window).all()

            month = {"postgresql": "DATE_TRUNC('month', harvest_end)", "sqlite": "strftime('%Y-%m', harvest_end)"}
            raw_sql = text(RAW_SQL.format(month=month[db.engine.dialect.name]))

            def by_raw():
                return db.session.execute(raw_sql, days).all()

            found = {(r["commodity"], r["commune_code"]): r for r in api_report()["rows"]}
            rolled = {(r.commodity, r.commune_code): r for r in by_rollup()}
            raw = {(r.commodity, r.commune_code): r for r in by_raw()}
            assert set(found) == set(rolled) == set(raw) and found, "the three give different rows"
            for key, row in found.items():
                mine = rolled[key]
                # The API shows kg to the gram (describe rounds); SQLite sums to a float.
                assert abs(Decimal(row["quantity_kg"]) - Decimal(str(mine.quantity_kg))) <= Decimal("0.0005"), key
                assert (row["lots"], row["producers"]) == (mine.lots, mine.producers), (key, row, mine)
                # The rollup keeps each cell to 4 decimals; the raw sum is not rounded until the end.
                assert abs(Decimal(row["quantity_kg"]) - Decimal(str(raw[key].quantity_kg))) < Decimal("0.01"), key
                assert (row["lots"], row["producers"]) == (raw[key].lots, raw[key].producers), key

            engine = db.engine
            timings = {
                "app": harness.timed(app_report, options.repeat),
                "app_with_json_values": harness.timed(api_report, options.repeat),
                "hand_sql_rollup": harness.timed(by_rollup, options.repeat),
                "hand_sql_raw": harness.timed(by_raw, max(3, options.repeat // 3)),
            }
            trips = harness.round_trips(engine, app_report)
    app_ms, rollup_ms = timings["app"]["median_ms"], timings["hand_sql_rollup"]["median_ms"]
    return {
        "scale": scale,
        "generation_s": generation_s,
        "events": events,
        "batches": generated.batches,
        "households": generated.households,
        "plots": generated.plots,
        "orders": generated.orders,
        "largest_fan_in": generated.largest_fan_in,
        "rollup_rows": rollup_rows,
        "rollup_refresh_s": generated.rollup["seconds"],
        "filter": {"period": season.code, "group_by": list(GROUP_BY), "province": province.PROVINCE},
        "report_rows": len(found),
        "app_round_trips": trips,
        **timings,
        "ratio_app_to_hand_sql_rollup": round(app_ms / rollup_ms, 3),
        "ratio_app_to_hand_sql_raw": round(app_ms / timings["hand_sql_raw"]["median_ms"], 4),
    }


def run(options: harness.Options) -> dict:
    from benchmarks.__main__ import Skipped

    chosen = harness.backends(options)
    if not any(name == "postgresql" for name, _ in chosen):
        raise Skipped("PostgreSQL is needed for the supply report figures")
    figures: dict = {
        "compared_with": "hand-written SQL over report_harvest_rollup, the table the app's query reads (the app's "
        "design is a rollup refreshed from the events); raw-table SQL over the events for information",
    }
    for name, database in chosen:
        # SQLite gets a tenth of the province: its figures say how the shape compares, not production.
        scale = 0.02 if options.quick else (1.0 if name == "postgresql" else 0.1)
        with database() as url:
            figures[name] = measure(url, options, scale)
    pg = figures["postgresql"]
    figures["targets"] = {
        "ratio_app_to_hand_sql": {
            "target": f"<= {TARGET_RATIO}",
            "measured": pg["ratio_app_to_hand_sql_rollup"],
            "met": pg["ratio_app_to_hand_sql_rollup"] <= TARGET_RATIO,
        }
    }
    figures["summary"] = [
        f"{name}: {figures[name]['events']} events (scale {figures[name]['scale']}, generated in "
        f"{figures[name]['generation_s']} s); app {figures[name]['app']['median_ms']} ms, hand SQL on the rollup "
        f"{figures[name]['hand_sql_rollup']['median_ms']} ms (ratio {figures[name]['ratio_app_to_hand_sql_rollup']}), "
        f"hand SQL on the raw tables {figures[name]['hand_sql_raw']['median_ms']} ms"
        for name, _ in chosen
    ] + [
        f"target {key}: {t['measured']} ({t['target']}) {'met' if t['met'] else 'MISSED'}"
        for key, t in figures["targets"].items()
    ]
    return figures
