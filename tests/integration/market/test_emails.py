"""Order emails go through Celery to a real SMTP server, each in its recipient's language."""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from core.accounts.models import User
from core.extensions import db
from tests.integration.market.conftest import create_listing, move, place
from tests.traceability_builders import seeded


class Inbox:
    def __init__(self):
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m["To"]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def body(message: Message) -> str:
    return message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")


def test_order_emails_arrive_at_the_smtp_server_in_each_recipients_language(app, make_app, world, smtp_server):
    controller, inbox = smtp_server
    mail_app = make_app(
        MAIL_SERVER=controller.hostname, MAIL_PORT=controller.port, MAIL_DEFAULT_SENDER="cho@nongsan.test"
    )
    client = mail_app.test_client()
    listing = create_listing(client, world, "cashew", world.harvest("cashew"), quantity="100", price_per_kg=35000)
    order = place(client, world, "buyer", [(listing["id"], "10")]).json["orders"][0]

    buyer_email, seller_email = seeded(
        app, lambda: (db.session.get(User, world.buyer_user).email, db.session.get(User, world.cashew_user).email)
    )
    [to_buyer] = inbox.to(buyer_email)
    [to_seller] = inbox.to(seller_email)
    assert to_buyer["From"] == "cho@nongsan.test"
    # The importer reads English, the farmer Vietnamese: words, money and dates in each one's own form.
    assert to_buyer["Content-Language"] == "en" and to_seller["Content-Language"] == "vi"
    assert order["id"] in to_buyer["Subject"] and order["id"] in to_seller["Subject"]
    assert "Your order" in to_buyer["Subject"]
    assert "Đơn hàng mới" in to_seller["Subject"]
    assert "₫350,000" in body(to_buyer) and "350.000 ₫" in body(to_seller)
    assert f"/market/orders/{order['id']}" in body(to_buyer)

    move(client, world, "cashew", order["id"], "accepted")
    move(client, world, "cashew", order["id"], "shipped")
    accepted, shipped = inbox.to(buyer_email)[1:]
    assert "accepted" in accepted["Subject"] and "on its way" in shipped["Subject"]
    assert "/t/" in body(shipped)  # the buyer's own lot and its trace page
    assert len(inbox.to(seller_email)) == 1  # the seller is not told about their own acceptance and shipping


class FailingOnce(Inbox):
    """An SMTP server that fails once for one address, at the step given: its RCPT refused (550), or the message's
    DATA answered 421 and the connection closed (the rest of the session is lost)."""

    def __init__(self, address: str, step: str):
        super().__init__()
        self.address, self.step, self.failed = address, step, False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.step == "rcpt" and address == self.address and not self.failed:
            self.failed = True
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.step == "data" and self.address in envelope.rcpt_tos and not self.failed:
            self.failed = True
            return "421 4.3.0 Closing the connection"
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.parametrize("step", ["rcpt", "data"])
def test_a_retry_after_a_partial_smtp_failure_sends_each_email_once(app, make_app, world, step):
    from market.services.notifications import send_order_emails

    buyer_email, seller_email = seeded(
        app, lambda: (db.session.get(User, world.buyer_user).email, db.session.get(User, world.cashew_user).email)
    )
    # The buyer's message goes first; the seller's fails: refused alone, or with the connection closed under it.
    inbox = FailingOnce(seller_email, step)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        mail_app = make_app(
            MAIL_SERVER=controller.hostname, MAIL_PORT=controller.port, MAIL_DEFAULT_SENDER="cho@nongsan.test"
        )
        client = mail_app.test_client()
        listing = create_listing(client, world, "cashew", world.harvest("cashew"), quantity="100", price_per_kg=35000)
        placed = place(client, world, "buyer", [(listing["id"], "10")])
        assert placed.status_code == 201  # the order stands; its email task failed and will be retried
        assert inbox.failed
        assert len(inbox.to(buyer_email)) == 1 and inbox.to(seller_email) == []

        with mail_app.app_context():
            from market.models import Order

            order_id = db.session.scalar(select(Order.id))
            assert send_order_emails(order_id, "placed") == 1  # the task's retry
            assert send_order_emails(order_id, "placed") == 0  # and another: everything was sent
    finally:
        controller.stop()
    [to_buyer] = inbox.to(buyer_email)
    [to_seller] = inbox.to(seller_email)
    assert to_buyer["Message-ID"] != to_seller["Message-ID"]
