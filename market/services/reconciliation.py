"""The daily comparison of our card payments with Stripe's PaymentIntents: what differs is flagged for a person.

Webhooks can be lost (an outage, a secret rotated without telling us), and a
person can change things in Stripe's dashboard. Once a day, the PaymentIntents of
the last days are read from Stripe and compared with our orders: one that
succeeded there while the order is unpaid here, one paid here that Stripe does
not call succeeded, one that names no order we know, or an amount that differs.
Nothing is changed automatically: each difference becomes one ``PaymentFlag``
(once, however many days it stays), listed on the administrators' page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from core.accounts.models import User
from core.db import utcnow
from core.errors import NotFound, PermissionDenied
from core.extensions import db
from market.messages import ADMINS_ONLY, FLAG_NOT_FOUND
from market.models import FlagKind, Order, Payment, PaymentFlag, PaymentStatus
from market.payments.card import CURRENCY
from market.payments.records import payment_of
from market.payments.stripe_gateway import Intent, StripeGateway
from market.services.flags import raise_flag

WINDOW_DAYS = 3


@dataclass
class Reconciliation:
    compared: int = 0
    flagged: list[str] = field(default_factory=list)  # the provider references flagged this time


def _raise(result: Reconciliation, kind: FlagKind, reference: str, order: Order | None, **details) -> None:
    if raise_flag(kind, reference, order_id=order.id if order else None, **details):
        result.flagged.append(reference)


def _compare(intent: Intent, result: Reconciliation) -> None:
    public_id = intent.metadata.get("order_id")
    order = db.session.scalar(select(Order).where(Order.public_id == public_id)) if public_id else None
    if intent.status != "succeeded":
        return
    if order is None:
        _raise(result, FlagKind.UNKNOWN_PAYMENT, intent.id, None, amount=intent.amount, currency=intent.currency)
        return
    payment = payment_of(order)
    if intent.amount != order.total or intent.currency != CURRENCY:
        _raise(
            result,
            FlagKind.AMOUNT_MISMATCH,
            intent.id,
            order,
            stripe_amount=intent.amount,
            stripe_currency=intent.currency,
            order_total=order.total,
            order_currency=CURRENCY,
        )
    elif payment is None or payment.status is not PaymentStatus.CONFIRMED or payment.reference != intent.id:
        _raise(
            result,
            FlagKind.PAID_THERE_NOT_HERE,
            intent.id,
            order,
            stripe_status=intent.status,
            amount=intent.amount,
            order_status=order.status.value,
            our_payment=payment.status.value if payment else None,
        )


def reconcile(*, gateway: StripeGateway, now: datetime | None = None, days: int = WINDOW_DAYS) -> Reconciliation:
    """Compare the last ``days`` of card payments both ways and flag the differences (one commit at the end).

    Stripe is asked with no transaction open: our side is read into plain values first, and the flags are
    written once every answer is in.
    """
    since = (now or utcnow()) - timedelta(days=days)
    db.session.rollback()
    intents = gateway.intents_since(since)
    succeeded = {intent.id for intent in intents if intent.status == "succeeded"}
    ours = db.session.execute(
        select(Payment.reference, Payment.amount, Order.id, Order.public_id)
        .join(Order, Order.id == Payment.order_id)
        .where(Payment.method == "card", Payment.status == PaymentStatus.CONFIRMED, Payment.confirmed_at >= since)
    ).all()
    db.session.rollback()
    unconfirmed = [row for row in ours if row.reference not in succeeded]
    there = {row.reference: gateway.retrieve(row.reference) for row in unconfirmed if row.reference}
    result = Reconciliation(compared=len(intents))
    for intent in intents:
        _compare(intent, result)
    for row in unconfirmed:
        answer = there.get(row.reference)
        if answer is None or answer.status != "succeeded":
            _raise(
                result,
                FlagKind.PAID_HERE_NOT_THERE,
                row.reference or f"order-{row.public_id}",
                db.session.get(Order, row.id),
                stripe_status=answer.status if answer else None,
                amount=row.amount,
            )
    db.session.commit()
    return result


def open_flags(user: User, *, include_resolved: bool = False, limit: int = 200) -> list[PaymentFlag]:
    _admin(user)
    query = select(PaymentFlag).order_by(PaymentFlag.created_at.desc(), PaymentFlag.id.desc()).limit(limit)
    if not include_resolved:
        query = query.where(PaymentFlag.resolved_at.is_(None))
    return list(db.session.scalars(query))


def resolve_flag(user: User, flag_id: int, note: str | None) -> PaymentFlag:
    _admin(user)
    found = db.session.get(PaymentFlag, flag_id)
    if found is None:
        raise NotFound(FLAG_NOT_FOUND(flag=flag_id))
    if found.resolved_at is None:
        found.resolved_at, found.resolved_by_id = utcnow(), user.id
        found.resolution_note = (note or "").strip()[:1000] or None
        db.session.commit()
    return found


def _admin(user: User | None) -> None:
    if user is None or not user.is_admin:
        raise PermissionDenied(ADMINS_ONLY)
