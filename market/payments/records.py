"""The rows every payment method writes: an order's one payment, its confirmation, a refund.

Methods differ in what they check and what they tell the buyer; what they record is the same, and is written
here once (in the caller's transaction, never committed).
"""

from __future__ import annotations

from flask import has_request_context, request

from core.accounts.models import User
from core.db import utcnow
from core.extensions import db
from market.models import Order, Payment, PaymentStatus, Refund, RefundStatus

_MADE = "nongsan.payments_made"


def remember_payment(payment: Payment) -> None:
    """Hold a payment this request wrote, so that ``payment_of`` finds it without a round trip (checkout's answer
    shows the payment it just made)."""
    if has_request_context():
        request.environ.setdefault(_MADE, {})[payment.order_id] = payment


def payment_of(order: Order, *, fresh: bool = False) -> Payment | None:
    """The order's payment; ``fresh`` reads it again from the database (after another transaction changed it)."""
    made = request.environ.get(_MADE) if has_request_context() and not fresh else None
    if made and order.id in made and made[order.id] in db.session:
        return made[order.id]
    statement = db.select(Payment).where(Payment.order_id == order.id)
    if fresh:
        statement = statement.execution_options(populate_existing=True)
    return db.session.scalar(statement)


def confirm_payment(
    order: Order, method: str, *, amount: int, reference: str | None, by: User | None, keep_reference: bool = False
) -> Payment:
    """The order's money arrived (``reference``: the provider's or the bank's; kept as it was when None and
    ``keep_reference``)."""
    payment = payment_of(order)
    if payment is None:
        payment = Payment(order_id=order.id, method=method, amount=amount)
        db.session.add(payment)
    payment.status = PaymentStatus.CONFIRMED
    payment.reference = (reference or payment.reference) if keep_reference else reference
    payment.failure_code = None
    payment.confirmed_at = utcnow()
    payment.confirmed_by_id = by.id if by else None
    return payment


def record_refund(
    order: Order,
    method: str,
    amount: int,
    reason: str | None,
    *,
    by: User | None,
    reason_code: str,
    reference: str | None,
    status: RefundStatus,
) -> Refund:
    refund = Refund(
        order_id=order.id,
        method=method,
        amount=amount,
        reason=reason,
        reason_code=reason_code,
        reference=reference,
        status=status,
        by_user_id=by.id if by else None,
    )
    db.session.add(refund)
    return refund
