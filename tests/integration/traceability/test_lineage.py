"""Lineage is computed in the database: the number of queries does not grow with the number of ancestors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import event

from core.accounts.models import User
from core.extensions import db
from tests.traceability_builders import BatchWorld, make_harvest
from traceability.models import Plot
from traceability.services import lineage, operations


@pytest.fixture
def world(app):
    return BatchWorld(app)


def chain(world, links: int) -> str:
    """A harvest split ``links`` times, each part split again: the last part has ``links`` ancestors."""
    user = db.session.get(User, world.an_user)
    plot = db.session.get(Plot, world.an_plot)
    code = make_harvest(user, [plot], quantity=str(links + 1)).code
    for _ in range(links):
        _parent, (part,) = operations.split(user, code, parts=[{"quantity": Decimal(1)}])
        code = part.code
    return code


def pooled(world, lots: int) -> str:
    """``lots`` harvests merged into one: one lot with ``lots`` parents."""
    user = db.session.get(User, world.an_user)
    plot = db.session.get(Plot, world.an_plot)
    codes = [make_harvest(user, [plot], quantity="5").code for _ in range(lots)]
    merged, _warnings = operations.merge(user, codes)
    return merged.code


def count_queries(work) -> tuple[object, int]:
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = work()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return result, len(statements)


def test_lineage_of_200_ancestors_takes_as_many_queries_as_of_10(app, ctx, world):
    user = db.session.get(User, world.an_user)
    short, deep = chain(world, 10), chain(world, 200)
    db.session.expire_all()
    small, small_count = count_queries(lambda: lineage.lineage(user, short))
    db.session.expire_all()
    big, big_count = count_queries(lambda: lineage.lineage(user, deep))
    assert len(small.ancestors) == 10 and len(big.ancestors) == 200
    assert max(node.depth for node in big.ancestors) == 200
    assert big_count == small_count
    assert [p.id for p in big.plots] == [world.an_plot]


def test_wide_lineage_takes_as_many_queries_as_narrow(app, ctx, world):
    user = db.session.get(User, world.an_user)
    narrow, wide = pooled(world, 10), pooled(world, operations.MAX_INPUTS)  # the widest merge there can be: 100 lots
    db.session.expire_all()
    few, few_count = count_queries(lambda: lineage.lineage(user, narrow))
    db.session.expire_all()
    many, many_count = count_queries(lambda: lineage.lineage(user, wide))
    assert len(few.ancestors) == 10 and len(many.ancestors) == 100 and len(many.edges) == 100
    assert many_count == few_count


def test_a_lot_split_and_merged_back_appears_once(client, world):
    code = world.harvest("an", "100")
    parts = client.post(
        f"/api/v1/batches/{code}/split",
        json={"parts": [{"quantity": "40"}, {"quantity": "60"}]},
        headers=world.auth("an"),
    ).json["parts"]
    merged = client.post("/api/v1/merges", json={"inputs": [p["code"] for p in parts]}, headers=world.auth("an")).json[
        "batch"
    ]
    lineage_ = client.get(f"/api/v1/batches/{merged['code']}/lineage", headers=world.auth("an")).json
    assert sorted(a["code"] for a in lineage_["ancestors"]) == sorted([code, *(p["code"] for p in parts)])
    assert {a["code"]: a["depth"] for a in lineage_["ancestors"]}[code] == 2
    assert len(lineage_["edges"]) == 4  # harvest → two parts → merged
    forward = client.get(f"/api/v1/batches/{code}/lineage", headers=world.auth("an")).json
    assert [d["code"] for d in forward["descendants"]][-1] == merged["code"]
