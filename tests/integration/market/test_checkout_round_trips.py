"""What one checkout costs the database (issue #13): its statements are counted, so that round trips which grow
back (the answer reading back what the checkout just wrote, the caller's memberships read twice, the seller's bank
account read twice) fail here rather than in the contention benchmark."""

from __future__ import annotations

import pytest
from sqlalchemy import event, inspect

from core.accounts.models import Membership, Organization, OrganizationKind, Role, User
from core.accounts.permissions import actable_organization_ids
from core.extensions import db
from market.models import Order
from tests.integration.market.conftest import create_listing, place
from tests.integration.market.test_bank_transfer import give_account

# A VietQR checkout of one listing by a buyer with one organization, its e-mail task queued, not run: the token's
# look-up with its user's row and its last use (its first), their memberships with their organizations, the listing
# with its seller and the seller's bank account, its lot locked (and its recalls), the lot's listings locked, the
# reservation (one UPDATE, sold-out status included), five INSERTs (order, line, history, payment, reservation) and
# one for the order email's task, written to the outbox in the checkout's transaction (core/outbox.py). The answer
# reads nothing: the names, the listings' codes and the payment are those the checkout read or wrote.
CHECKOUT_STATEMENTS = 14


@pytest.fixture
def vietqr_listing(client, world):
    assert give_account(client, world).status_code == 200
    return create_listing(client, world, "cashew", world.harvest("cashew"), payment_methods=["vietqr"])


@pytest.fixture
def queued(monkeypatch):
    """The order e-mails are queued as in production (a worker sends them), not run inside the request."""
    sent = []
    monkeypatch.setattr("market.services.orders.send_queued", lambda ids: sent.append(ids))
    return sent


def _statements(app, work) -> list[str]:
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            seen.append(" ".join(statement.split())[:160])  # transaction control (SQLite's BEGIN IMMEDIATE) aside

    event.listen(engine, "before_cursor_execute", listener)
    try:
        result = work()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return result, seen


def test_a_checkout_sends_no_more_statements_than_it_needs(app, client, world, vietqr_listing, queued):
    answer, statements = _statements(
        app, lambda: place(client, world, "other_buyer", [(vietqr_listing["id"], "10")], payment_method="vietqr")
    )
    assert answer.status_code == 201, answer.json
    assert len(queued) == 1
    assert len(statements) <= CHECKOUT_STATEMENTS, "\n".join(statements)


def test_the_checkout_answer_is_the_order_as_committed(client, world, vietqr_listing, queued):
    placed = place(client, world, "other_buyer", [(vietqr_listing["id"], "10")], payment_method="vietqr")
    assert placed.status_code == 201, placed.json
    order = placed.json["orders"][0]
    assert order["payment_instructions"]["bank_bin"] == "970436" and order["status"] == "pending_payment"
    read = client.get(f"/api/v1/orders/{order['id']}", headers=world.auth("other_buyer"))
    assert read.status_code == 200
    assert read.json == order


def test_what_a_checkout_kept_loaded_is_expired_once_its_answer_is_made(app, client, world, vietqr_listing, queued):
    with app.app_context():  # one session across requests, as a test or a CLI command may hold it
        placed = place(client, world, "other_buyer", [(vietqr_listing["id"], "10")], payment_method="vietqr")
        assert placed.status_code == 201, placed.json
        loaded = [x for x in db.session.identity_map.values() if isinstance(x, Order | User)]
        assert all(inspect(x).expired for x in loaded)


def test_the_memberships_read_once_per_request_are_read_again_after_a_change(app, world):
    with app.test_request_context("/api/v1/orders"):
        user = db.session.get(User, world.other_buyer_user)
        assert actable_organization_ids(user) == {world.other_buyer_org}
        joined = Organization(name="Hợp tác xã mới", kind=OrganizationKind.BUYER)
        db.session.add(joined)
        db.session.flush()
        db.session.add(Membership(user_id=user.id, organization_id=joined.id, role=Role.MEMBER))
        db.session.flush()
        assert actable_organization_ids(user) == {world.other_buyer_org, joined.id}
        db.session.rollback()
        db.session.remove()
