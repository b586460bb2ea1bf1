"""Order emails: who hears about what, in their own language, sent over SMTP from the MAIL_* settings.

Each recipient's message is rendered under ``force_locale(user.locale)``, so the
words, the money ("250.000 ₫" or "₫250,000") and the dates are theirs; the
message says which language it is in (Content-Language). Users who sign in with
a phone number only have no address and get no email.

A message the server accepted is recorded (``OrderEmail``) in its own commit before
the next is sent, and a refused recipient does not stop the others: the task's retry
after a partial failure sends only what was not accepted. A connection lost after the
message's data but before the server's answer leaves it unknown; the retry sends it
again with the same Message-ID (made from the order, event and recipient), which lets
mail clients show one copy.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formataddr

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from core.accounts.models import Membership, User
from core.extensions import db
from market import states
from market.models import Order, OrderEmail
from market.services.describe import describe_orders

# Who hears about each event: the buyer's people, the seller's, or both.
RECIPIENTS = {
    "placed": (states.BUYER, states.SELLER),
    "paid": (states.BUYER, states.SELLER),
    "accepted": (states.BUYER,),
    "shipped": (states.BUYER,),
    "delivered": (states.BUYER, states.SELLER),
}


def recipients(order: Order, event: str) -> list[tuple[User, str]]:
    """(user, role) for every active member with an email address of the parties told about ``event``."""
    parties = {states.BUYER: order.buyer_id, states.SELLER: order.seller_id}
    result = []
    for role in RECIPIENTS[event]:
        users = db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organization_id == parties[role], User.is_active.is_(True), User.email.is_not(None))
            .order_by(User.id)
        )
        result.extend((user, role) for user in users)
    return result


def _subject(event: str, role: str, number: str) -> str:
    if event == "placed":
        return (
            _("New order %(number)s to accept", number=number)
            if role == states.SELLER
            else _("Your order %(number)s is placed", number=number)
        )
    subjects = {
        "paid": _("Order %(number)s is paid", number=number),
        "accepted": _("The seller accepted order %(number)s", number=number),
        "shipped": _("Order %(number)s is on its way", number=number),
        "delivered": _("Order %(number)s was delivered", number=number),
    }
    return subjects[event]


def message_id(order: Order, event: str, user: User) -> str:
    """The same for every try of one email, so that a copy sent twice is recognised as one message."""
    return f"<order.{order.public_id}.{event}.{user.id}@nongsan>"


def compose(order: Order, event: str, user: User, role: str) -> EmailMessage:
    locale = (
        user.locale if user.locale in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
    )
    with force_locale(locale):
        described = describe_orders([order])[0]
        subject = _subject(event, role, order.public_id)
        body = render_template(
            "market/email/order.txt",
            order=described,
            event=event,
            role=role,
            user=user,
            link=f"{current_app.config['PUBLIC_BASE_URL']}/market/orders/{order.public_id}",
        )
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = formataddr((user.name, user.email))
    message["Message-ID"] = message_id(order, event, user)
    message.set_content(body)
    message["Content-Language"] = locale  # after set_content, which replaces the Content-* headers
    return message


def send_order_emails(order_id: int, event: str) -> int:
    """Send the ``event`` email of an order to everyone who should get it and has not yet; the number sent.

    Raises the first SMTP error after trying every recipient, so that the task retries the ones that failed.
    """
    if event not in RECIPIENTS:
        raise ValueError(f"unknown order event {event!r}")
    order = db.session.get(Order, order_id)
    config = current_app.config
    if order is None:
        return 0
    sent = set(
        db.session.scalars(select(OrderEmail.user_id).where(OrderEmail.order_id == order_id, OrderEmail.event == event))
    )
    messages = [
        (user.id, compose(order, event, user, role)) for user, role in recipients(order, event) if user.id not in sent
    ]
    db.session.rollback()  # do not hold a transaction open while talking to the mail server
    if not messages:
        return 0
    if not config.get("MAIL_SERVER"):
        current_app.logger.info("MAIL_SERVER is not set: %d order email(s) for %s not sent", len(messages), event)
        return 0
    delivered, failure = 0, None
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        for user_id, message in messages:
            try:
                smtp.send_message(message)
            except smtplib.SMTPServerDisconnected:
                raise  # the rest cannot be sent on this connection: the retry sends them
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
                failure = failure or error  # this one recipient: the others still get theirs
                continue
            db.session.add(
                OrderEmail(order_id=order_id, event=event, user_id=user_id, message_id=message["Message-ID"])
            )
            db.session.commit()
            delivered += 1
    if failure is not None:
        raise failure
    return delivered
