"""Stripe's webhook: each signed event applied once, in the transaction of its effect.

Fulfilment comes only from here: ``payment_intent.succeeded`` makes the order
paid once its amount and currency are the order's (otherwise a person reviews
it); ``payment_failed`` and ``canceled`` end an attempt that is still the
order's current one, so a late failure never un-pays a paid order, and an
earlier attempt's failure never cancels a later one. Refund updates follow the
refund. Unknown event types are acknowledged and ignored.

The event's id is written with its effect (a unique key): a second delivery of
the same event finds it and does nothing; two at once meet at the key. Emails
and refunds to send go to Celery after the commit, so the answer is quick.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.db import utcnow
from core.errors import ValidationError
from core.extensions import db
from market.messages import WEBHOOK_BODY, WEBHOOK_SIGNATURE
from market.models import (
    FlagKind,
    Order,
    OrderStatus,
    Payment,
    PaymentStatus,
    Refund,
    RefundReason,
    WebhookEvent,
)
from market.payments import method_of
from market.payments.card import CURRENCY
from market.payments.records import payment_of
from market.payments.stripe_gateway import SignatureError, StripeGateway
from market.services import refunds, transitions
from market.services.flags import raise_flag

APPLIED, DUPLICATE, IGNORED, FLAGGED = "applied", "duplicate", "ignored", "flagged"
PAID_NOTE = "Paid by card."
FAILED_NOTE = "The card payment failed."
LATE_NOTE = "The card payment arrived after the order had ended; it is refunded."

AfterCommit = Callable[[], None]


class BadSignature(ValidationError):
    status = 400
    title = "Bad request"
    code = "bad_signature"


def flag(kind: FlagKind, reference: str, order: Order | None, **details) -> None:
    raise_flag(kind, reference, order_id=order.id if order else None, **details)


def _order_of(intent: dict) -> Order | None:
    public_id = (intent.get("metadata") or {}).get("order_id")
    order_id = None
    if public_id:
        order_id = db.session.scalar(select(Order.id).where(Order.public_id == public_id))
    if order_id is None:
        order_id = db.session.scalar(
            select(Payment.order_id).where(Payment.method == "card", Payment.reference == intent["id"])
        )
    return transitions.lock_order(order_id) if order_id is not None else None


def _attempt(intent: dict) -> int | None:
    try:
        return int((intent.get("metadata") or {}).get("attempt"))
    except (TypeError, ValueError):
        return None


def _succeeded(intent: dict) -> tuple[str, AfterCommit | None]:
    order = _order_of(intent)
    amount, currency = int(intent.get("amount") or 0), (intent.get("currency") or "").upper()
    if order is None:
        flag(FlagKind.UNKNOWN_PAYMENT, intent["id"], None, amount=amount, currency=currency)
        return FLAGGED, None
    if amount != order.total or currency != CURRENCY:
        flag(
            FlagKind.AMOUNT_MISMATCH,
            intent["id"],
            order,
            stripe_amount=amount,
            stripe_currency=currency,
            order_total=order.total,
            order_currency=CURRENCY,
        )
        return FLAGGED, None
    payment = payment_of(order, fresh=True)
    if payment.status is PaymentStatus.CONFIRMED:
        if payment.reference != intent["id"]:  # a second PaymentIntent succeeded for a paid order
            flag(FlagKind.PAID_THERE_NOT_HERE, intent["id"], order, amount=amount, paid_by=payment.reference)
            return FLAGGED, None
        return IGNORED, None
    if order.status is OrderStatus.PENDING_PAYMENT:
        transitions.move_as_system(order, OrderStatus.PAID, note=PAID_NOTE, reference=intent["id"])
        order_id = order.id
        return APPLIED, lambda: transitions.after_commit(order_id, OrderStatus.PAID, [])
    # The order ended (expired, cancelled) while the bank was still deciding: the money is not ours to keep.
    flag(FlagKind.LATE_PAYMENT, intent["id"], order, amount=amount, order_status=order.status.value)
    method_of(order).confirm(order, amount=amount, reference=intent["id"])
    transitions.give_back(order, amount, LATE_NOTE, None, reason_code=RefundReason.CANCELLED.value)
    # Read now: after the commit, touching the order would open a transaction (on SQLite, the write lock) that the
    # eager refund task, in its own session, would wait on.
    refund_ids, order_id, status = transitions.pending_refunds(order), order.id, order.status
    return FLAGGED, lambda: transitions.after_commit(order_id, status, refund_ids)


def _failed(intent: dict) -> tuple[str, AfterCommit | None]:
    order = _order_of(intent)
    if order is None:
        return IGNORED, None
    payment = payment_of(order, fresh=True)
    current_attempt = _attempt(intent) == payment.attempt and payment.reference in (None, intent["id"])
    if (
        order.status is not OrderStatus.PENDING_PAYMENT
        or payment.status is PaymentStatus.CONFIRMED
        or not current_attempt
    ):
        return IGNORED, None  # a late or stale failure: never un-pays, never cancels a newer attempt
    error = intent.get("last_payment_error") or {}
    code = (error.get("decline_code") or error.get("code") or "payment_failed")[:60]
    payment.status, payment.failure_code, payment.reference = PaymentStatus.FAILED, code, intent["id"]
    transitions.move_as_system(order, OrderStatus.CANCELLED, note=FAILED_NOTE)
    order_id = order.id
    return APPLIED, lambda: transitions.after_commit(order_id, OrderStatus.CANCELLED, [])


def _refund_updated(refund: dict) -> tuple[str, AfterCommit | None]:
    ours = db.session.scalar(select(Refund).where(Refund.provider_refund_id == refund["id"]))
    if ours is None:
        return IGNORED, None
    return (
        APPLIED if refunds.follow(ours, refund.get("status") or "", refund.get("failure_reason")) else IGNORED
    ), None


def _charge_refunded(charge: dict) -> tuple[str, AfterCommit | None]:
    outcomes = [_refund_updated(refund)[0] for refund in ((charge.get("refunds") or {}).get("data") or [])]
    return (APPLIED if APPLIED in outcomes else IGNORED), None


HANDLERS: dict[str, Callable[[dict], tuple[str, AfterCommit | None]]] = {
    "payment_intent.succeeded": _succeeded,
    "payment_intent.payment_failed": _failed,
    "payment_intent.canceled": _failed,
    "refund.created": _refund_updated,
    "refund.updated": _refund_updated,
    "refund.failed": _refund_updated,
    "charge.refund.updated": _refund_updated,
    "charge.refunded": _charge_refunded,
}


def receive_stripe_event(payload: bytes, signature: str | None, *, gateway: StripeGateway) -> str:
    """Verify and apply one delivery; the outcome: applied, duplicate, ignored or flagged. 400 when not signed."""
    try:
        event = gateway.event(payload, signature)
    except SignatureError as error:
        raise BadSignature(WEBHOOK_SIGNATURE(reason=str(error))) from None
    event_id, kind = event.get("id"), event.get("type")
    subject = ((event.get("data") or {}).get("object")) or {}
    if not event_id or not kind or not isinstance(subject, dict) or "id" not in subject:
        raise BadSignature(WEBHOOK_BODY)
    if db.session.scalar(
        select(WebhookEvent.id).where(WebhookEvent.provider == "stripe", WebhookEvent.event_id == event_id)
    ):
        return DUPLICATE
    handler = HANDLERS.get(kind)
    record = WebhookEvent(
        provider="stripe", event_id=event_id, type=kind, outcome=IGNORED, object_id=subject["id"], received_at=utcnow()
    )
    try:
        # The event id is claimed first, in a savepoint: a concurrent delivery of it fails here, before any effect.
        # Only this failure means "duplicate"; any other error of the effect answers 500, so Stripe delivers again.
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        db.session.rollback()
        return DUPLICATE
    try:
        outcome, after = handler(subject) if handler else (IGNORED, None)
        record.outcome = outcome
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if after is not None:
        after()
    return outcome
