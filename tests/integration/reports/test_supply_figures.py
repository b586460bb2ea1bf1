"""The department's reports give the figures of a season worked out by hand (see supply_world.py)."""

from __future__ import annotations

import pytest

from tests.integration.reports.supply_world import BINH_LONG, LOC_NINH, SupplyWorld

SEASON = "2025/26"


@pytest.fixture
def world(app):
    return SupplyWorld(app)


def report(client, world, path: str, **query):
    response = client.get(f"/api/v1/reports/{path}", query_string=query, headers=world.auth())
    assert response.status_code == 200, response.json
    return response.json


def rows(table, *keys):
    return [tuple(row[k] for k in keys) for row in table["rows"]]


def test_a_commune_made_of_two_former_districts_adds_up_both(client, world):
    # Both old addresses became Phường Bình Long: the report has one row for it, with everything harvested there.
    assert world.hon_quan == world.old_binh_long == BINH_LONG
    found = report(client, world, "supply", period=SEASON, group_by="commodity,commune")
    assert rows(found, "commodity", "commune_code", "commune", "quantity_kg", "lots", "producers") == [
        ("cashew", LOC_NINH, "Xã Lộc Ninh", "500", 1, 1),
        ("cashew", BINH_LONG, "Phường Bình Long", "4300", 5, 4),
        ("rubber", BINH_LONG, "Phường Bình Long", "1500", 2, 2),
    ]
    assert found["freshness"]["pending"] == 0 and found["freshness"]["current"] is True


def test_harvest_by_month_quarter_and_season(client, world):
    by_month = report(client, world, "supply", period=SEASON, commodity="cashew", group_by="period")
    assert rows(by_month, "period", "period_start", "period_end", "quantity_kg", "producers") == [
        ("2026-03", "2026-03-01", "2026-03-31", "2000", 2),
        ("2026-04", "2026-04-01", "2026-04-30", "2800", 3),
    ]
    by_quarter = report(client, world, "supply", period="2026", group_by="commodity,period", interval="quarter")
    assert rows(by_quarter, "period", "commodity", "quantity_kg") == [
        ("2026-Q1", "cashew", "2000"),
        ("2026-Q2", "cashew", "2800"),
        ("2026-Q2", "rubber", "1500"),
    ]
    # All time includes the harvest of September 2025, which belongs to the season before.
    by_season = report(client, world, "supply", period="all", commodity="cashew", group_by="period", interval="season")
    assert rows(by_season, "period", "quantity_kg") == [("2024/25", "700"), ("2025/26", "4800")]


def test_filters_narrow_the_figures(client, world):
    one = report(client, world, "supply", period="2026-04", commune=LOC_NINH, group_by="")
    assert rows(one, "quantity_kg", "lots", "producers") == [("500", 1, 1)]
    certified = report(client, world, "supply", period=SEASON, certification="vietgap", group_by="commodity")
    assert rows(certified, "commodity", "quantity_kg", "producers") == [("cashew", "1300", 1)]
    # A rejected certificate certifies nothing.
    assert rows(report(client, world, "supply", period=SEASON, certification="any", group_by=""), "quantity_kg") == [
        ("1300",)
    ]


def test_processing_certified_shares_and_anomalies(app, world):
    from reports import services
    from reports.describe import describe
    from reports.filters import parse

    with app.test_request_context(headers={"Accept-Language": "vi"}):
        from core.accounts.models import User
        from core.extensions import db

        officer = db.session.query(User).filter_by(phone=world.officer_phone).one()
        supply = {
            t.key: describe(t) for t in services.section(officer, "supply", parse({"period": SEASON}, today=_d()))
        }
        anomalies = {
            t.key: describe(t) for t in services.section(officer, "anomalies", parse({"period": SEASON}, today=_d()))
        }
        cashew = parse({"period": SEASON, "commodity": "cashew"}, today=_d())
        area = describe(services.table(officer, "certified_area", cashew))
        plots = describe(services.table(officer, "plots_by_commune", cashew))

    processed = supply["processed"]
    assert rows(
        processed, "input_product", "output_product", "input_kg", "output_kg", "transforms", "outside_band"
    ) == [("raw_cashew_nuts", "cashew_kernels", "2300", "610", 2, 1)]
    assert processed["rows"][0]["ratio"] == "0.2652"  # 610 / 2300
    assert rows(anomalies["anomalous_transforms"], "organization", "input_kg", "output_kg", "ratio", "reason") == [
        ("Hộ Phạm Thị Bốn", "300", "150", "0.5", "Hạt đã bóc vỏ một phần")
    ]
    assert rows(anomalies["corrections"], "operation", "reason", "corrections") == [("harvest", "did_not_occur", 1)]

    quantity = {r["certification"]: (r["quantity_kg"], r["share"]) for r in supply["certified_quantity"]["rows"]}
    assert quantity == {"any": ("1300", "0.2063"), "vietgap": ("1300", "0.2063")}  # of 6300 kg, rubber included
    assert {r["certification"]: (r["area_ha"], r["share"]) for r in area["rows"]}["vietgap"] == ("1", "0.125")
    assert rows(plots, "commune_code", "plots", "area_ha", "producers") == [
        (LOC_NINH, 1, "1", 1),
        (BINH_LONG, 4, "7", 4),
    ]


def test_eudr_share_of_rubber_and_its_reasons(client, world):
    found = {t["key"]: t for t in report(client, world, "eudr", period=SEASON)["tables"]}
    ready = found["eudr_rubber"]["rows"][0]
    assert (ready["lots"], ready["ready_lots"], ready["quantity_kg"], ready["ready_quantity_kg"]) == (
        2,
        1,
        "1500",
        "600",
    )
    assert (ready["quantity_share"], ready["plots"], ready["ready_plots"], ready["plots_share"]) == ("0.4", 2, 1, "0.5")
    assert rows(found["eudr_reasons"], "reason", "count", "quantity_kg") == [("needs_polygon", 1, "900")]


def test_bad_filters_are_named_in_one_problem(client, world):
    response = client.get(
        "/api/v1/reports/supply",
        query_string={"period": "2026-13", "commune": "99999", "group_by": "farmer"},
        headers=world.auth(),
    )
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert set(response.json["errors"]) == {"period", "commune"}
    assert response.json["errors"]["commune"][0] == "No commune or ward 99999 in the province."
    grouping = client.get("/api/v1/reports/supply", query_string={"group_by": "farmer"}, headers=world.auth())
    assert grouping.status_code == 422 and "farmer" in grouping.json["errors"]["group_by"][0]


def test_a_refresh_brings_new_harvests_into_the_figures_and_says_so(client, app, world):
    from core.accounts.models import User
    from core.extensions import db
    from reports import rollup
    from tests.traceability_builders import make_harvest, seeded
    from traceability.models import Plot

    before = report(client, world, "supply", period=SEASON, group_by="")
    assert before["freshness"]["pending"] == 0

    def harvest_more():
        farmer = db.session.query(User).filter_by(phone=world.farmer_phone).one()
        plot = db.session.query(Plot).filter_by(area_ha=2, commune_code=BINH_LONG).first()
        make_harvest(farmer, [plot], quantity="100", harvest_date=_d().replace(year=2026, month=5, day=20))

    seeded(app, harvest_more)
    stale = report(client, world, "supply", period=SEASON, group_by="")
    assert stale["freshness"]["pending"] == 1 and stale["freshness"]["current"] is False
    assert stale["rows"][0]["quantity_kg"] == before["rows"][0]["quantity_kg"] == "6300"

    seeded(app, lambda: rollup.refresh_if_stale())
    fresh = report(client, world, "supply", period=SEASON, group_by="")
    assert fresh["freshness"]["pending"] == 0 and fresh["freshness"]["current"] is True
    assert fresh["freshness"]["refreshed_at"] > before["freshness"]["refreshed_at"]
    assert fresh["rows"][0]["quantity_kg"] == "6400"


def test_only_department_officers_read_reports(client, world):
    for path in ("supply", "market", "eudr"):
        assert client.get(f"/api/v1/reports/{path}").status_code == 401
        refused = client.get(f"/api/v1/reports/{path}", headers=world.auth("farmer"))
        assert refused.status_code == 403 and refused.content_type == "application/problem+json"


def _d():
    from datetime import date

    return date(2026, 12, 4)
