"""The benchmarks' province generator writes the rows the application writes, at the scale asked."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from benchmarks import province
from core.accounts.models import Organization, OrganizationKind, User
from core.extensions import db
from market.models import Order
from reports import services
from reports.filters import Filters
from traceability.models import Batch, Event, Plot
from traceability.services import integrity, lineage

SCALE = 0.01


@pytest.fixture
def generated(app):
    with app.app_context():
        found = province.generate(scale=SCALE, seed=7)
        yield found
        db.session.remove()


def test_counts_follow_the_scale(app, generated):
    with app.app_context():
        households = db.session.scalar(
            select(func.count()).where(Organization.kind == OrganizationKind.HOUSEHOLD).select_from(Organization)
        )
        assert households == generated.households == province.HOUSEHOLDS * SCALE
        assert db.session.scalar(select(func.count(Plot.id))) == province.PLOTS * SCALE
        assert db.session.scalar(select(func.count(Order.id))) == province.ORDERS * SCALE
        events = db.session.scalar(select(func.count(Event.id)))
        assert events == generated.events
        # About a million events at full scale.
        assert 0.8 * 1_000_000 * SCALE <= events <= 1.2 * 1_000_000 * SCALE
        communes = set(db.session.scalars(select(Plot.commune_code).distinct()))
        assert communes <= set(province.communes()) and len(communes) > 10
        # Harvests of every commodity in each of the three seasons.
        assert {(h["commodity"], _season_of(generated, h["day"])) for h in generated.harvests} == {
            (c, s.code) for c in province.HARVESTED for s in generated.seasons
        }


def test_a_carton_has_eight_levels_of_lineage_and_fan_in_reaches_fifty(app, generated):
    with app.app_context():
        depths = []
        for code in generated.deepest_codes:
            batch = db.session.scalar(select(Batch).where(Batch.code == code))
            nodes, _ = lineage.lineage_nodes(batch, lineage.ANCESTORS)
            depths.append(max(node.depth for node in nodes))
        assert max(depths) == 8
        assert 10 <= generated.largest_fan_in <= province.MAX_FAN_IN


def test_the_hash_chain_verifies_on_sampled_lots(app, generated):
    with app.app_context():
        officer = db.session.get(User, generated.officer_id)
        codes = sorted(db.session.scalars(select(Batch.code)))
        sample = random.Random(3).sample(codes, 40) + generated.deepest_codes[:5]
        for code in sample:
            result = integrity.verify(officer, code)
            assert result["ok"], (code, result)


def test_the_supply_report_adds_up_to_the_harvests(app, generated):
    season = generated.seasons[-1]
    expected_kg: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    lots, producers = defaultdict(set), defaultdict(set)
    for harvest in generated.harvests:
        if season.start <= harvest["day"] <= season.end:
            key = (harvest["commodity"], harvest["commune_code"])
            expected_kg[key] += harvest["kg"]  # one plot per harvest lot: the lot's whole quantity
            lots[key].add(harvest["batch_id"])
            producers[key].add(harvest["producer_id"])
    with app.test_request_context():
        officer = db.session.get(User, generated.officer_id)
        table = services.supply_report(officer, Filters(period=season), ("commodity", "commune"))
        found = {(row["commodity"], row["commune_code"]): row for row in table.rows}
        assert set(found) == set(expected_kg)
        for key, row in found.items():
            assert abs(row["quantity_kg"] - expected_kg[key]) < Decimal("0.01"), key
            assert (row["lots"], row["producers"]) == (len(lots[key]), len(producers[key])), key
        assert table.freshness.current


def _season_of(generated, day):
    return next(s.code for s in generated.seasons if s.start <= day <= s.end)
