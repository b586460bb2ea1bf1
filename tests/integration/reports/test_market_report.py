"""The department's marketplace report: what sold, its value and price per kg, and orders by status."""

from __future__ import annotations

from core.accounts.models import OrganizationKind
from tests.builders import make_org, make_token
from tests.integration.market.conftest import MarketWorld, create_listing, move, place
from tests.traceability_builders import quick_user, seeded


def test_sales_count_orders_committed_to_and_leave_out_cancelled_ones(app, client):
    world = MarketWorld(app)

    def officer():
        user = quick_user("Cán bộ Sở")
        make_org(OrganizationKind.DEPARTMENT, name="Sở NN&MT", owner=user)
        return make_token(user)

    token = seeded(app, officer)
    listing = create_listing(client, world, "cashew", world.harvest("cashew", "1000"), quantity="500")
    kept = place(client, world, "buyer", [(listing["id"], "100")])
    dropped = place(client, world, "other_buyer", [(listing["id"], "50")])
    assert kept.status_code == dropped.status_code == 201, (kept.json, dropped.json)
    kept_id, dropped_id = kept.json["orders"][0]["id"], dropped.json["orders"][0]["id"]
    assert move(client, world, "cashew", kept_id, "accepted").status_code == 200
    assert move(client, world, "other_buyer", dropped_id, "cancelled").status_code == 200

    response = client.get(
        "/api/v1/reports/market", query_string={"period": "all"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.json
    tables = {t["key"]: t for t in response.json["tables"]}
    sales = [
        (r["commodity"], r["product"], r["quantity_kg"], r["value_vnd"], r["avg_vnd_per_kg"], r["orders"])
        for r in tables["market_sales"]["rows"]
    ]
    assert sales == [("cashew", "raw_cashew_nuts", "100", 3_500_000, 35_000, 1)]
    assert {r["status"]: r["orders"] for r in tables["market_orders"]["rows"]} == {"accepted": 1, "cancelled": 1}
    # Another commodity's filter leaves nothing.
    pepper = client.get(
        "/api/v1/reports/market",
        query_string={"period": "all", "commodity": "pepper"},
        headers={"Authorization": f"Bearer {token}"},
    ).json
    assert all(t["rows"] == [] for t in pepper["tables"])
    # A seller is refused the province's figures.
    assert client.get("/api/v1/reports/market", headers=world.auth("cashew")).status_code == 403
