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
