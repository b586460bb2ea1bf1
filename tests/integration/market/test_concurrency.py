"""Many buyers at once against a small listing: exactly what was offered is reserved, never a gram more."""

from __future__ import annotations

import threading

import pytest

from core.accounts.models import User
from core.extensions import db
from market.errors import ListingSoldOutError
from market.models import Listing
from market.services import orders
from tests.integration.market.conftest import create_listing
from tests.traceability_builders import quick_user, seeded


def buyers(app, count: int) -> list[int]:
    from core.accounts.models import OrganizationKind
    from tests.builders import make_org

    def build():
        ids = []
        for index in range(count):
            user = quick_user(f"Người mua {index}")
            make_org(OrganizationKind.BUYER, name=f"Cửa hàng {index}", owner=user, commune_code=None)
            ids.append(user.id)
        return ids

    return seeded(app, build)


def buy_concurrently(app, listing_id: str, user_ids: list[int], quantity: str) -> list[str]:
    barrier = threading.Barrier(len(user_ids))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user_id: int):
        with app.app_context():  # each buyer is its own request: its own app context, session and connection
            try:
                user = db.session.get(User, user_id)
                db.session.commit()
                barrier.wait(timeout=60)
                orders.place_orders(
                    user, items=[{"listing_id": listing_id, "quantity": quantity}], payment_method="cod"
                )
                outcome = "bought"
            except ListingSoldOutError:
                outcome = "sold out"
            except Exception as error:
                outcome = f"error: {error!r}"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    workers = [threading.Thread(target=attempt, args=(user_id,)) for user_id in user_ids]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
    return outcomes


def counters(app, listing_id: str) -> tuple[int, int, int]:
    def read():
        listing = db.session.scalar(db.select(Listing).where(Listing.public_id == listing_id))
        return listing.quantity_g, listing.reserved_g, listing.sold_g

    return seeded(app, read)


@pytest.mark.postgres
def test_fifty_concurrent_buyers_against_ten_units_buy_exactly_ten_on_postgresql(app, client, world):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks under real concurrency are a PostgreSQL matter; run with TEST_DATABASE=postgres")
    listing = create_listing(
        client, world, "cashew", world.harvest("cashew", "100"), quantity="10", min_order_quantity="1"
    )
    outcomes = buy_concurrently(app, listing["id"], buyers(app, 50), "1")
    assert len(outcomes) == 50 and not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("bought") == 10 and outcomes.count("sold out") == 40
    assert counters(app, listing["id"]) == (10_000, 10_000, 0)
    assert client.get(f"/api/v1/listings/{listing['id']}").json["status"] == "sold_out"


def test_concurrent_buyers_never_oversell(app, client, world):
    """On SQLite BEGIN IMMEDIATE serializes the checkouts; on PostgreSQL the conditional update does."""
    listing = create_listing(
        client, world, "cashew", world.harvest("cashew", "100"), quantity="5", min_order_quantity="1"
    )
    outcomes = buy_concurrently(app, listing["id"], buyers(app, 8), "1")
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("bought") == 5 and outcomes.count("sold out") == 3
    quantity, reserved, sold = counters(app, listing["id"])
    assert reserved + sold == quantity == 5_000
