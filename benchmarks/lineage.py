"""Lineage of a lot with 2,000 ancestors: time and SQL round trips of ``lineage.lineage_nodes`` (and, for
information, of the whole ``lineage.lineage`` the lot page and the API call).

Targets: one round trip, and under 50 ms (median) on PostgreSQL. The lot is built by ``province.build_ancestry``
with the rows the services write (harvests delivered to a co-op, pooled, shelled, pooled again), inside a
generated province (``province.generate``), so that the planner sees tables of production size: on a database
holding only the 2,000 ancestors every plan is fast.

``before`` is the query and the indexes as they were before this benchmark's first fix (commit 4c5474f), measured
on the same data in the same run: the old indexes are put back for it, then the current ones again.
``before_rows`` is the committed run from before the second fix (``results/lineage.before.json``): the lots came
back as 2,000 ORM ``Batch`` objects, whose building took four times the query; they are plain rows now
(``lineage.BatchRow``).
"""

from __future__ import annotations

from benchmarks import harness

NAME = "lineage"
ANCESTORS = 2000
TARGET_MS = 50.0


def measure(url: str, options: harness.Options, scale: float) -> dict:
    from sqlalchemy import select

    from benchmarks import province
    from core.accounts.models import Membership, Organization, OrganizationKind, User
    from core.extensions import db
    from traceability.models import Batch
    from traceability.services import lineage

    ancestors = 300 if options.quick else ANCESTORS
    with harness.bench_app(url) as app, app.app_context():
        generated = province.generate(scale=scale)
        code = province.build_ancestry(ancestors)
        _analyze()
        batch = db.session.scalar(select(Batch).where(Batch.code == code))
        officer = db.session.scalar(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .join(Organization, Organization.id == Membership.organization_id)
            .where(Organization.kind == OrganizationKind.DEPARTMENT)
        )
        nodes, edges = lineage.lineage_nodes(batch, lineage.ANCESTORS)
        assert len(nodes) == ancestors, (len(nodes), ancestors)

        def nodes_only():
            db.session.expire_all()  # as in a new request: nothing of the lineage already loaded
            lineage.lineage_nodes(batch, lineage.ANCESTORS)

        def whole():
            db.session.expire_all()
            lineage.lineage(officer, code)

        engine = db.engine
        after = {**harness.timed(nodes_only, options.repeat), "round_trips": _trips(engine, batch)}
        before = None
        if db.engine.dialect.name == "postgresql":
            _indexes(OLD_INDEXES, NEW_INDEXES)

            def old_nodes():
                db.session.expire_all()
                _old_lineage_nodes(batch)

            assert len(_old_lineage_nodes(batch)) == len(nodes)
            before = harness.timed(old_nodes, options.repeat)
            _indexes(NEW_INDEXES, OLD_INDEXES)
        return {
            "province_scale": scale,
            "province_events": generated.events,
            "province_batches": generated.batches,
            "ancestors": len(nodes),
            "edges": len(edges),
            "deepest": max(node.depth for node in nodes),
            "lineage_nodes": after,
            "before": before,
            "lineage": {
                **harness.timed(whole, options.repeat),
                "round_trips": harness.round_trips(engine, lambda: lineage.lineage(officer, code)),
            },
        }


OLD_INDEXES = {
    "ix_batch_links_child_parent": "child_id, parent_id",
    "ix_batch_links_parent_child": "parent_id, child_id",
}
NEW_INDEXES = {
    "ix_batch_links_child_walk": "child_id, parent_id, event_id, quantity",
    "ix_batch_links_parent_walk": "parent_id, child_id, event_id, quantity",
}


def _analyze() -> None:
    from core.extensions import db

    if db.engine.dialect.name == "postgresql":
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


def _indexes(create: dict[str, str], drop: dict[str, str]) -> None:
    from core.extensions import db

    db.session.commit()
    with db.engine.begin() as conn:
        for name, columns in create.items():
            conn.exec_driver_sql(f"CREATE INDEX {name} ON batch_links ({columns})")
        for name in drop:
            conn.exec_driver_sql(f"DROP INDEX {name}")
    _analyze()


def _old_lineage_nodes(start):
    """``lineage_nodes``'s query before the fix (commit 4c5474f): the via batch joined, no IN restriction."""
    from sqlalchemy import select

    from core.accounts.models import Organization
    from core.extensions import db
    from traceability.models import Batch
    from traceability.services import lineage

    walk = lineage.walk_cte(start.id, lineage.ANCESTORS)
    via = Batch.__table__.alias("via")
    rows = db.session.execute(
        select(Batch, Organization.name, walk.c.depth, walk.c.event_id, walk.c.quantity, via.c.code)
        .join(walk, walk.c.batch_id == Batch.id)
        .join(Organization, Organization.id == Batch.custodian_id)
        .join(via, via.c.id == walk.c.via_id)
    ).all()
    nearest = {}
    for batch, name, depth, *_ in rows:
        if batch.id not in nearest or depth < nearest[batch.id][1]:
            nearest[batch.id] = (batch, depth, name)
    return list(nearest.values())


def _trips(engine, batch) -> int:
    from core.extensions import db
    from traceability.services import lineage

    db.session.expire_all()
    db.session.refresh(batch)  # the batch itself is the caller's, loaded before the call
    return harness.round_trips(engine, lambda: lineage.lineage_nodes(batch, lineage.ANCESTORS))


def run(options: harness.Options) -> dict:
    from benchmarks.__main__ import Skipped

    figures: dict = {"ancestors_asked": ANCESTORS}
    chosen = harness.backends(options)
    if not any(name == "postgresql" for name, _ in chosen):
        raise Skipped("PostgreSQL is needed for the lineage target")
    for name, database in chosen:
        with database() as url:
            # SQLite gets a tenth of the province (its generation is slower): the shape of its figures, not production.
            scale = 0.02 if options.quick else (1.0 if name == "postgresql" else 0.1)
            figures[name] = measure(url, options, scale)
    pg = figures["postgresql"]["lineage_nodes"]
    before = figures["postgresql"]["before"]
    figures["before_rows"] = harness.before_fix(NAME)
    figures["targets"] = {
        "round_trips": {"target": 1, "measured": pg["round_trips"], "met": pg["round_trips"] == 1},
        "postgresql_median_ms": {
            "target": f"< {TARGET_MS}",
            "measured": pg["median_ms"],
            "met": pg["median_ms"] < TARGET_MS,
        },
    }
    figures["summary"] = (
        [
            f"{backend}: lineage_nodes of {figures[backend]['ancestors']} ancestors "
            f"{figures[backend]['lineage_nodes']['median_ms']} ms median, "
            f"p95 {figures[backend]['lineage_nodes']['p95_ms']} ms, "
            f"{figures[backend]['lineage_nodes']['round_trips']} round trip(s); whole lineage() "
            f"{figures[backend]['lineage']['median_ms']} ms, {figures[backend]['lineage']['round_trips']} round trips"
            for backend, _ in chosen
        ]
        + [f"postgresql before the fix: {before['median_ms']} ms median, p95 {before['p95_ms']} ms"]
        + [
            f"target {key}: {t['measured']} ({t['target']}) {'met' if t['met'] else 'MISSED'}"
            for key, t in figures["targets"].items()
        ]
    )
    return figures
