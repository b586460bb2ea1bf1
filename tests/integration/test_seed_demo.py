"""`flask seed-demo`: the demo season a new user sees on `make run`."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from core.accounts.models import CooperativeMember, Organization, OrganizationKind, User
from core.extensions import db
from traceability.services import eudr, integrity, lineage


def _codes(output: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\w+)\s+http://\S+/t/([A-Z0-9]+)$", output, flags=re.MULTILINE))


def test_seed_demo_loads_a_believable_season_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "nongsan-demo-2026" in result.output
    codes = _codes(result.output)
    assert {"cashew_w240", "pepper_black", "rubber_svr", "rubber_latex_point"} <= set(codes)

    with app.app_context():
        coop = db.session.scalar(select(Organization).where(Organization.kind == OrganizationKind.COOPERATIVE))
        assert coop.commune_code == "25222"  # Xã Bù Gia Mập
        assert (
            db.session.scalar(
                select(func.count()).select_from(CooperativeMember).where(CooperativeMember.cooperative_id == coop.id)
            )
            == 3
        )
        kinds = set(db.session.scalars(select(Organization.kind)))
        assert {"household", "cooperative", "processor", "buyer", "department"} <= {str(kind) for kind in kinds}

        # The kernel lot traces back to all three farmers' plots and its record is intact.
        officer = db.session.scalar(select(User).where(User.email == "can.bo@demo.nongsan.vn"))
        kernels = lineage.lineage(officer, codes["cashew_w240"])
        raw = {node.batch.code for node in kernels.ancestors if node.batch.product == "raw_cashew_nuts"}
        assert codes["cashew_merged"] in raw
        assert len(raw - {codes["cashew_merged"]}) == 3  # the three farmers' own lots
        assert len(kernels.plots) == 3
        assert integrity.verify(officer, codes["cashew_w240"])["ok"] is True

        # Rubber: the SVR made from the polygon-mapped plot is EUDR-ready; the latex from a 5.2 ha point is not.
        assert eudr.batch_readiness(officer, codes["rubber_svr"])[1].ready is True
        assert eudr.batch_readiness(officer, codes["rubber_latex_point"])[1].ready is False

        # Every demo offer can be paid by VietQR transfer to its seller's (made-up) account, or in cash; no Stripe
        # keys here, so no cards.
        from market.models import Listing, SellerBankAccount

        offers = db.session.scalars(select(Listing)).all()
        assert offers and all(listing.payment_methods == ["vietqr", "cod"] for listing in offers)
        assert all(db.session.get(SellerBankAccount, listing.seller_id) for listing in offers)

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert "already loaded" in again.output


def test_seed_demo_refuses_production(make_app):
    production = make_app(
        NONGSAN_ENV="production", CELERY_BROKER_URL="redis://127.0.0.1:6379/15", STORAGE_BACKEND="local"
    )
    result = production.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "NONGSAN_ENV=development" in result.output


def test_the_demo_officer_finds_a_certificate_waiting_in_the_queue(app, client):
    from tests.conftest import csrf_token

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    login = {"login": "can.bo@demo.nongsan.vn", "password": "nongsan-demo-2026"}
    client.post("/sign-in", data={"csrf_token": csrf_token(client, "/sign-in"), **login})
    queue = client.get("/department/certificates").get_data(as_text=True)
    assert "VietGAP-TT-26-02-75-0112" in queue and "VietGAP-TT-25-07-75-0041" not in queue


def test_seed_demo_gives_the_department_a_season_in_every_demo_commune(app):
    from core.accounts.models import Membership
    from core.accounts.permissions import is_department_officer
    from core.geo.services import DEMO_COMMUNES
    from market.models import Listing, Order, OrderLine, OrderStatus
    from reports import supply
    from reports.filters import Filters
    from reports.models import HarvestRollup
    from traceability.models import Batch, BatchPlot, ErrorDeclaration, Event, Plot

    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "can.bo@demo.nongsan.vn" in result.output  # the officer's login, printed with the password

    with app.app_context():
        # The dashboard has figures at once: the rollup was refreshed by the seed, in every demo commune.
        cells = supply.harvested(Filters(period=None), ("commodity", "commune")).rows
        assert {row["commune_code"] for row in cells if row["quantity_kg"] > 0} == set(DEMO_COMMUNES.values())
        for commodity in ("cashew", "pepper", "rubber"):
            published = [row for row in cells if row["commodity"] == commodity and row["producers"] >= 3]
            assert len(published) >= 3, commodity  # three communes each, none suppressed in the open data
        # A whole season: cashew harvested over four months, rubber tapped in most months of 2025/26.
        months = supply.harvested(Filters(period=None), ("commodity", "period")).rows
        season = [row for row in months if "2025-10" <= row["period"] <= "2026-09"]
        assert len([row for row in season if row["commodity"] == "cashew"]) == 4
        assert len([row for row in season if row["commodity"] == "rubber"]) >= 8

        # Certified and uncertified produce, by each of the three certificate types.
        for certification in ("vietgap", "organic", "rainforest_alliance"):
            assert supply.harvested(Filters(period=None, certification=certification), ()).rows[0]["quantity_kg"] > 0
        certified = supply.harvested(Filters(period=None, certification="any"), ()).rows[0]["quantity_kg"]
        assert 0 < certified < supply.harvested(Filters(period=None), ()).rows[0]["quantity_kg"]

        # Rubber lots both EUDR-ready and not, in each rubber commune.
        latex = db.session.execute(
            select(Batch, Plot.commune_code)
            .join(BatchPlot, BatchPlot.batch_id == Batch.id)
            .join(Plot, Plot.id == BatchPlot.plot_id)
            .where(Batch.product == "field_latex")
        ).all()
        readiness = eudr.readiness_many(lot for lot, _commune in latex)
        ready = {commune for lot, commune in latex if readiness[lot.id].ready}
        not_ready = {commune for lot, commune in latex if readiness[lot.id].ready is False}
        assert ready == not_ready == {"25264", "25270", "25210"}
        officer = db.session.scalar(select(User).where(User.email == "can.bo@demo.nongsan.vn"))
        assert eudr.batch_readiness(officer, _codes(result.output)["rubber_svr_3l"])[1].ready is True

        # The anomalies report has a transform outside its band with its reason, and corrections of both kinds.
        reasons = db.session.scalars(select(Event.anomaly_reason).where(Event.anomaly_reason.is_not(None))).all()
        assert len(reasons) == 1 and "mưa trái mùa" in reasons[0]
        declared = set(db.session.scalars(select(ErrorDeclaration.reason)))
        assert declared == {"incorrect_data", "did_not_occur"}

        # Paid sales through the marketplace span the commodities and their grades.
        paid = (OrderStatus.PAID, OrderStatus.COMPLETED, OrderStatus.PARTIALLY_REFUNDED)
        sold = db.session.execute(
            select(Listing.product, Listing.grade)
            .join(OrderLine, OrderLine.listing_id == Listing.id)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.status.in_(paid))
            .distinct()
        ).all()
        assert {product for product, _grade in sold} >= {"cashew_kernels", "black_pepper", "svr"}
        assert len({grade for _product, grade in sold}) >= 6

        # The printed officer is one by membership of the department, not only as the platform's admin.
        assert is_department_officer(officer)
        departments = db.session.scalars(
            select(Organization.id)
            .join(Membership, Membership.organization_id == Organization.id)
            .where(Membership.user_id == officer.id, Organization.kind == OrganizationKind.DEPARTMENT)
        ).all()
        assert len(departments) == 1
        rollup_rows = db.session.scalar(select(func.count()).select_from(HarvestRollup))
        lots = db.session.scalar(select(func.count()).select_from(Batch))

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "already loaded" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Batch)) == lots
        assert db.session.scalar(select(func.count()).select_from(HarvestRollup)) == rollup_rows
