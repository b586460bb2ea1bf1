"""PostgreSQL restarted mid-run (the private server): the app's next requests succeed without restarting it.

Every connection the app's pool held died with the server; ``pool_pre_ping`` (core/config.py)
finds each dead one before a request uses it and opens a new one.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.accounts.models import OrganizationKind
from tests.builders import make_org, make_token
from tests.traceability_builders import make_plot, quick_user, seeded

pytestmark = pytest.mark.postgres


def test_after_postgresql_restarts_the_next_requests_succeed(fault_app, private_postgres):
    app = fault_app()
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True

    def build():
        farmer = quick_user("Nguyễn Thị Hà")
        farm = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Nguyễn Thị Hà", owner=farmer)
        return {"Authorization": f"Bearer {make_token(farmer)}"}, make_plot(farm).id

    headers, plot_id = seeded(app, build)
    client = app.test_client()
    body = {
        "product": "raw_cashew_nuts",
        "quantity": "500",
        "unit": "kg",
        "plot_ids": [plot_id],
        "harvest_date": (date.today() - timedelta(days=1)).isoformat(),
    }
    first = client.post("/api/v1/batches", json=body, headers=headers)
    assert first.status_code == 201
    assert client.get("/readyz").status_code == 200  # the pool now holds connections to the old server

    private_postgres.stop()
    down = client.get("/readyz")
    assert down.status_code == 503 and down.json["failed"] == ["database"]
    private_postgres.start()

    lots = client.get("/api/v1/batches", headers=headers)
    assert lots.status_code == 200 and [lot["code"] for lot in lots.json] == [first.json["code"]]
    second = client.post("/api/v1/batches", json=body, headers=headers)
    assert second.status_code == 201, second.get_data(as_text=True)
    assert client.get("/readyz").status_code == 200
    assert len(client.get("/api/v1/batches", headers=headers).json) == 2
