"""Moving an order through its states, each move checked, recorded, and done with its consequences in one transaction.

The order row is locked first (PostgreSQL ``FOR UPDATE``; SQLite holds the write
lock already), so a seller accepting and the beat job expiring the same order
cannot both win: whichever comes second sees the new status and gets 409.

What each move does besides the status:
- paid: the payment method confirms the money and the payout ledger records the sale; paid online, the
  reservation becomes a sale;
- accepted: the seller commits to deliver, refused (409) when the lot was recalled or no longer holds it
  (``lots.check_acceptance``); for cash on delivery, the reservation becomes a sale;
- shipped: the sold quantity is split off the seller's lot into a lot of the buyer's, shipped to them;
- delivered: the buyer's organization receives that lot and holds it;
- cancelled: reserved stock goes back, or sold stock goes back on offer; money taken is refunded;
- expired: reserved stock goes back;
- refunded / partially_refunded: a refund record through the payment method, and its share in the payout ledger.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.accounts.models import User
from core.db import utcnow
from core.errors import PermissionDenied, ValidationError
from core.extensions import db
from core.tasks import send_task
from market import states
from market.errors import OrderLapsedError, TransitionNotAllowedError
from market.messages import (
    FULL_REFUND_GIVES_BACK,
    FULL_REFUND_IS_REMAINDER,
    GIVE_THE_AMOUNT,
    NOTE_TOO_LONG,
    ONLY_ROLES_MAY,
    PARTIAL_REFUND_RANGE,
    REFUND_REFERENCE_NEEDED,
    TOO_LONG,
    UNKNOWN_ORDER_STATUS,
    USE_ORDER_STATUS,
)
from market.models import (
    Order,
    OrderStatus,
    OrderStatusChange,
    PaymentStatus,
    Refund,
    RefundReason,
    RefundStatus,
)
from market.payments import method_of
from market.payments.records import payment_of
from market.quantities import grams_to_kg
from market.services import ledger, lots, stock
from market.services.orders import visible_order
from traceability.services import fulfilment

NOTIFIED = {
    OrderStatus.PAID: "paid",
    OrderStatus.ACCEPTED: "accepted",
    OrderStatus.SHIPPED: "shipped",
    OrderStatus.DELIVERED: "delivered",
}
EXPIRY_BATCH = 200
LAPSED_NOTE = "The reservation lapsed."
MAX_NOTE = 1000


def _target(value: str) -> OrderStatus:
    try:
        return OrderStatus(value)
    except ValueError:
        allowed = ", ".join(s.value for s in OrderStatus)
        raise ValidationError(
            UNKNOWN_ORDER_STATUS, errors={"to": [USE_ORDER_STATUS(status=repr(value), allowed=allowed)]}
        ) from None


def _money_taken(order: Order) -> bool:
    payment = payment_of(order)
    return payment is not None and payment.status is PaymentStatus.CONFIRMED


def give_back(
    order: Order,
    amount: int,
    reason: str | None,
    user: User | None,
    *,
    reason_code: str = RefundReason.OTHER.value,
    reference: str | None = None,
) -> Refund:
    """Record a refund of ``amount`` through the order's payment method; the order counts it as refunded at once.

    A card refund is only pending here: the caller sends it to Stripe after the commit (``refunds.submit``), and
    a refusal there gives the amount back to the order (``refunds.refund_failed``).
    """
    if order.payment_method == "vietqr" and not reference and reason_code != RefundReason.CANCELLED.value:
        # A transfer back is only traceable by its bank reference; a cancellation's is given when it is made.
        raise ValidationError(REFUND_REFERENCE_NEEDED, errors={"reference": [REFUND_REFERENCE_NEEDED]})
    refund = method_of(order).refund(order, amount, reason, by=user, reason_code=reason_code, reference=reference)
    order.refunded_amount += amount
    db.session.flush()
    ledger.record_refund(order, refund)
    return refund


def _refund_amount(order: Order, target: OrderStatus, amount: int | None) -> int:
    remaining = order.total - order.refunded_amount
    if target is OrderStatus.REFUNDED:
        if amount not in (None, remaining):
            raise ValidationError(
                FULL_REFUND_IS_REMAINDER, errors={"amount": [FULL_REFUND_GIVES_BACK(amount=remaining)]}
            )
        return remaining
    if amount is None or not 0 < amount < remaining:
        raise ValidationError(GIVE_THE_AMOUNT, errors={"amount": [PARTIAL_REFUND_RANGE(amount=remaining)]})
    return amount


def _ship(order: Order, user: User) -> None:
    deliveries = fulfilment.ship_to_buyer(
        user,
        [(line.batch_id, grams_to_kg(line.quantity_g)) for line in order.lines],
        buyer_organization_id=order.buyer_id,
        reference=order.public_id,
    )
    for line, delivery in zip(order.lines, deliveries, strict=True):
        line.buyer_batch_code, line.shipment_id = delivery.code, delivery.shipment_id
    stock.record_shipped(order)


def _apply(
    order: Order,
    target: OrderStatus,
    roles: set[str],
    user: User | None,
    *,
    amount: int | None,
    reason: str | None,
    reason_code: str | None = None,
    reference: str | None = None,
) -> None:
    allowed = states.allowed_roles(order.payment_method, order.status, target)
    if allowed is None:
        raise TransitionNotAllowedError(order.status.value, target.value)
    if not allowed & roles:
        parts = " or ".join(sorted(allowed))
        raise PermissionDenied(ONLY_ROLES_MAY(roles=parts, target=target.value))
    current = order.status
    if target is OrderStatus.ACCEPTED:
        lots.check_acceptance(order)
    if target is OrderStatus.PAID:
        # An amount the seller gives must be the total (the method says so); none given means the total.
        paid = order.total if amount is None else amount
        method_of(order).confirm(order, amount=paid, reference=reference, by=user)
        ledger.record_sale(order)
    if target is states.sells_on(order.payment_method):
        stock.convert_reservations(order)
        order.expires_at = None
    if target is OrderStatus.SHIPPED:
        _ship(order, user)
    elif target is OrderStatus.DELIVERED:
        note = "Delivery confirmed by the buyer." if states.BUYER in roles else "Handed over by the seller."
        fulfilment.receive_for_buyer(user, [line.shipment_id for line in order.lines], note=note)
    elif target in (OrderStatus.CANCELLED, OrderStatus.EXPIRED):
        if current in states.RESERVED:
            stock.release_reservations(order)
            _end_open_attempt(order)
        else:
            stock.release_allocations(order)
        if _money_taken(order) and order.total > order.refunded_amount:
            give_back(
                order,
                order.total - order.refunded_amount,
                reason or "Order cancelled.",
                user,
                reason_code=RefundReason.CANCELLED.value,
            )
        order.expires_at = None
    elif target in (OrderStatus.REFUNDED, OrderStatus.PARTIALLY_REFUNDED):
        give_back(
            order,
            _refund_amount(order, target, amount),
            reason,
            user,
            reason_code=reason_code or RefundReason.OTHER.value,
            reference=reference,
        )
    order.status = target


def _record(
    order: Order, current: OrderStatus, target: OrderStatus, user: User | None, note: str | None, at: datetime
) -> None:
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise ValidationError(NOTE_TOO_LONG, errors={"note": [TOO_LONG(count=MAX_NOTE)]})
    order.history.append(
        OrderStatusChange(
            from_status=current.value, to_status=target.value, by_user_id=user.id if user else None, at=at, note=note
        )
    )


def _lapsed(order: Order, target: OrderStatus, now: datetime) -> bool:
    """Still pending past its time: the beat job is late. Money confirmed as received (paid) is still taken."""
    return (
        order.status is OrderStatus.PENDING_PAYMENT
        and order.expires_at is not None
        and order.expires_at <= now
        and target not in (OrderStatus.PAID, OrderStatus.EXPIRED)
    )


def _expire(order: Order, now: datetime) -> None:
    _apply(order, OrderStatus.EXPIRED, {states.SYSTEM}, None, amount=None, reason=None)
    _record(order, OrderStatus.PENDING_PAYMENT, OrderStatus.EXPIRED, None, LAPSED_NOTE, now)


def expire_lapsed(order: Order) -> bool:
    """Expire, and commit, an order found still pending past its time (the beat job is late); True when it was."""
    now = utcnow()
    if order.status is OrderStatus.PENDING_PAYMENT and order.expires_at is not None and order.expires_at <= now:
        intents = open_intents(order)
        _expire(order, now)
        db.session.commit()
        cancel_intents(intents)
        return True
    return False


def transition(
    user: User,
    public_id: str,
    to: str,
    *,
    amount: int | None = None,
    reason: str | None = None,
    note: str | None = None,
    reason_code: str | None = None,
    reference: str | None = None,
) -> Order:
    """Move the order ``public_id`` to status ``to`` as ``user`` (its buyer or its seller).

    An order whose time ran out is expired here and then (409 ``expired``) rather
    than accepted or cancelled because the beat job has not come by yet.
    """
    target = _target(to)
    order, roles = visible_order(user, public_id, lock=True)
    now = utcnow()
    if _lapsed(order, target, now):
        intents = open_intents(order)
        try:
            _expire(order, now)
        except Exception:
            db.session.rollback()
            raise
        db.session.commit()
        cancel_intents(intents)
        raise OrderLapsedError(target.value)
    current = order.status
    intents = open_intents(order) if target in (OrderStatus.CANCELLED, OrderStatus.EXPIRED) else []
    try:
        _apply(order, target, roles, user, amount=amount, reason=reason, reason_code=reason_code, reference=reference)
        _record(order, current, target, user, note, utcnow())
    except Exception:
        db.session.rollback()
        raise
    order_id, refund_ids = order.id, pending_refunds(order)
    db.session.commit()
    cancel_intents(intents)
    after_commit(order_id, target, refund_ids)
    return order


def _end_open_attempt(order: Order) -> None:
    """An unpaid card order that ends: its open attempt is over here, and cancelled at Stripe after the commit."""
    payment = payment_of(order)
    if (
        order.payment_method == states.CARD_PAYMENT
        and payment is not None
        and payment.status is PaymentStatus.PROCESSING
    ):
        payment.status = PaymentStatus.FAILED
        payment.failure_code = "order_ended"


def open_intents(order: Order) -> list[str]:
    """The PaymentIntent of a card attempt still open (3-D Secure waiting), read before the order ends."""
    payment = payment_of(order)
    if (
        order.payment_method == states.CARD_PAYMENT
        and payment is not None
        and payment.status is PaymentStatus.PROCESSING
    ):
        return [payment.reference] if payment.reference else []
    return []


def cancel_intents(intent_ids: list[str]) -> None:
    """Cancel at Stripe the attempts of orders that ended (after the commit), so no card is charged for them."""
    for intent_id in intent_ids:
        send_task("market.cancel_payment_intent", intent_id)


def pending_refunds(order: Order) -> list[int]:
    """The refunds of this order still to be sent to the provider (card refunds just recorded)."""
    return list(
        db.session.scalars(
            select(Refund.id).where(
                Refund.order_id == order.id, Refund.status == RefundStatus.PENDING, Refund.provider_refund_id.is_(None)
            )
        )
    )


def after_commit(order_id: int, target: OrderStatus, refund_ids: list[int]) -> None:
    """What follows a committed move, by id: card refunds go to Stripe, people get their email."""
    for refund_id in refund_ids:
        send_task("market.submit_refund", refund_id)
    if target in NOTIFIED:
        send_task("market.send_order_email", order_id, NOTIFIED[target])


def move_as_system(order: Order, target: OrderStatus, *, note: str | None, reference: str | None = None) -> None:
    """The platform moves an order (a provider's webhook, the reconciliation), in the caller's transaction.

    The caller has locked the order (``lock_order``), commits, then calls ``after_commit``.
    """
    current = order.status
    _apply(order, target, {states.SYSTEM}, None, amount=None, reason=note, reference=reference)
    _record(order, current, target, None, note, utcnow())


def lock_order(order_id: int) -> Order | None:
    """The order, read afresh and locked for the transaction (PostgreSQL ``FOR UPDATE``; SQLite's write lock)."""
    statement = select(Order).where(Order.id == order_id).execution_options(populate_existing=True)
    if db.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(of=Order)
    return db.session.scalar(statement)


def expire_overdue(now: datetime | None = None) -> int:
    """Expire unpaid (or unaccepted cash-on-delivery) orders past their time; their stock goes back. One transaction
    each."""
    now = now or utcnow()
    ids = list(
        db.session.scalars(
            select(Order.id)
            .where(Order.status == OrderStatus.PENDING_PAYMENT, Order.expires_at < now)
            .order_by(Order.id)
            .limit(EXPIRY_BATCH)
        )
    )
    db.session.rollback()
    expired = 0
    for order_id in ids:
        statement = select(Order).where(Order.id == order_id).execution_options(populate_existing=True)
        if db.session.get_bind().dialect.name == "postgresql":
            statement = statement.with_for_update(
                skip_locked=True
            )  # an order being accepted right now is left to its request
        order = db.session.scalar(statement)
        if (
            order is None
            or order.status is not OrderStatus.PENDING_PAYMENT
            or order.expires_at is None
            or order.expires_at >= now
        ):
            db.session.rollback()
            continue
        intents = open_intents(order)
        _expire(order, now)
        db.session.commit()
        cancel_intents(intents)
        expired += 1
    return expired
