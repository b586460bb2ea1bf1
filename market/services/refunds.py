"""Refunds: full or partial, by card through Stripe's Refunds API, by transfer or cash recorded with the bank reference.

A refund is recorded first (the order counts it at once, the ledger reverses its
share) and, for a card, sent to Stripe after that commit by a Celery task with
the refund's own idempotency key, so a retry never refunds twice. Stripe's answer
(at once, or later through the webhook) settles it: a refund Stripe refuses or
fails gives the amount back to the order and is flagged for a person.

Whether the stock comes back depends on the reason: only a cancellation (the
goods never left the seller) puts it back on offer; after shipping, the goods are
with the buyer whatever the money does.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.accounts.models import User
from core.db import utcnow
from core.errors import PermissionDenied, ValidationError
from core.extensions import db
from market import states
from market.messages import CANCEL_REFUND_IS_FULL, ONLY_ROLES_MAY, REFUND_REASON_UNKNOWN, REFUND_REFERENCE_NEEDED
from market.models import FlagKind, Order, OrderStatus, Payment, Refund, RefundReason, RefundStatus
from market.payments.stripe_gateway import GatewayError, StripeGateway
from market.services import ledger, transitions
from market.services.flags import raise_flag
from market.services.orders import visible_order

MAX_REFERENCE = 100
# A card refund Stripe has not accepted after this long is sent again by the beat job, and flagged if it fails.
STUCK_AFTER = timedelta(minutes=10)


def _reason(code: str | None) -> RefundReason:
    try:
        return RefundReason(code or RefundReason.OTHER.value)
    except ValueError:
        allowed = ", ".join(reason.value for reason in RefundReason)
        raise ValidationError(
            REFUND_REASON_UNKNOWN(reason=repr(code), allowed=allowed),
            errors={"reason_code": [REFUND_REASON_UNKNOWN(reason=repr(code), allowed=allowed)]},
        ) from None


def _refund_target(code: RefundReason) -> OrderStatus:
    return OrderStatus.CANCELLED if code is RefundReason.CANCELLED else OrderStatus.REFUNDED


def refund_order(
    user: User,
    public_id: str,
    *,
    amount: int | None = None,
    reason_code: str | None = None,
    reason: str | None = None,
    reference: str | None = None,
    note: str | None = None,
) -> Order:
    """The seller gives back ``amount`` (the rest when None). A ``cancelled`` refund cancels the order, putting its
    stock back on offer; any other reason refunds in full (``refunded``) or in part (``partially_refunded``)."""
    code = _reason(reason_code)
    reference = (reference or "").strip() or None
    order, roles = visible_order(user, public_id)
    # Only the seller gives money back: the buyer is refused before any question about the refund's details.
    if states.SELLER not in roles:
        raise PermissionDenied(ONLY_ROLES_MAY(roles=states.SELLER, target=_refund_target(code).value))
    remaining = order.total - order.refunded_amount
    if order.payment_method == "vietqr" and not reference:
        raise ValidationError(REFUND_REFERENCE_NEEDED, errors={"reference": [REFUND_REFERENCE_NEEDED]})
    if reference and len(reference) > MAX_REFERENCE:
        reference = reference[:MAX_REFERENCE]
    if code is RefundReason.CANCELLED:
        if amount not in (None, remaining):
            raise ValidationError(
                CANCEL_REFUND_IS_FULL(amount=remaining), errors={"amount": [CANCEL_REFUND_IS_FULL(amount=remaining)]}
            )
        target = OrderStatus.CANCELLED
    else:
        target = OrderStatus.REFUNDED if amount in (None, remaining) else OrderStatus.PARTIALLY_REFUNDED
    db.session.rollback()  # visible_order read it; transition locks and reads it again
    return transitions.transition(
        user,
        public_id,
        target.value,
        amount=amount,
        reason=reason,
        note=note,
        reason_code=code.value,
        reference=reference,
    )


def _flag_failure(refund: Refund, reason: str | None) -> None:
    raise_flag(
        FlagKind.REFUND_FAILED,
        refund.provider_refund_id or f"refund-{refund.id}",
        order_id=refund.order_id,
        amount=refund.amount,
        reason=reason,
    )


def refund_failed(refund: Refund, reason: str | None) -> None:
    """The provider did not give the money back: the order owes it again and a person is told. No commit."""
    order = transitions.lock_order(refund.order_id)
    refund.status = RefundStatus.FAILED
    refund.failure_reason = (reason or "failed")[:100]
    order.refunded_amount -= refund.amount
    ledger.reverse_refund(refund)  # the producer's share comes back with the money that never left
    _flag_failure(refund, reason)


def follow(refund: Refund, status: str, failure_reason: str | None = None) -> bool:
    """Apply the provider's status of ``refund``; True when it changed anything. No commit.

    Stripe may fail a refund after calling it succeeded (the buyer's bank sends it back): that still counts. A
    failed refund is final, so a late or repeated update changes nothing.
    """
    if refund.status is RefundStatus.FAILED:
        return False
    if status == "succeeded" and refund.status is RefundStatus.PENDING:
        refund.status = RefundStatus.SUCCEEDED
        return True
    if status in ("failed", "canceled"):
        refund_failed(refund, failure_reason or status)
        return True
    return False


def submit(refund_id: int, *, gateway: StripeGateway) -> str:
    """Send a recorded card refund to Stripe (the Celery task's body; safe to repeat). Its status after.

    What Stripe needs is read into plain values and the transaction ended before calling it: no lock is held
    while Stripe answers.
    """
    refund = db.session.get(Refund, refund_id, populate_existing=True)
    if refund is None or refund.status is not RefundStatus.PENDING or refund.provider_refund_id:
        status = refund.status.value if refund else "missing"
        db.session.rollback()
        return status
    amount = refund.amount
    intent_id = db.session.scalar(select(Payment.reference).where(Payment.order_id == refund.order_id))
    order_code = db.session.scalar(select(Order.public_id).where(Order.id == refund.order_id))
    db.session.rollback()
    try:
        result = gateway.refund(
            payment_intent_id=intent_id,
            amount=amount,
            idempotency_key=f"refund-{refund_id}",
            metadata={"order_id": order_code, "refund_id": str(refund_id)},
        )
    except GatewayError as error:
        if error.code in (None, "api_connection_error", "rate_limit", "lock_timeout"):
            raise  # worth retrying: the task retries with the same key
        refund = db.session.get(Refund, refund_id, populate_existing=True)
        if refund.status is RefundStatus.PENDING and not refund.provider_refund_id:  # not settled meanwhile
            refund_failed(refund, error.code)
        db.session.commit()
        return refund.status.value
    refund = db.session.get(Refund, refund_id, populate_existing=True)
    if refund.status is RefundStatus.PENDING and not refund.provider_refund_id:
        refund.provider_refund_id = result.id
        follow(refund, result.status, result.failure_reason)
    db.session.commit()
    return refund.status.value


def stuck_refunds(older_than: timedelta = STUCK_AFTER) -> list[int]:
    """Card refunds recorded but never accepted by Stripe (a lost task, Stripe down for long): to send again."""
    cutoff = utcnow() - older_than
    ids = list(
        db.session.scalars(
            select(Refund.id)
            .where(
                Refund.method == "card",
                Refund.status == RefundStatus.PENDING,
                Refund.provider_refund_id.is_(None),
                Refund.created_at < cutoff,
            )
            .order_by(Refund.id)
            .limit(200)
        )
    )
    db.session.rollback()
    return ids


def flag_unsent(refund_id: int, reason: str) -> None:
    """A refund that still could not be sent: a person is told (once), the refund stays pending to be sent later."""
    refund = db.session.get(Refund, refund_id)
    if refund is not None and refund.status is RefundStatus.PENDING:
        _flag_failure(refund, f"not sent to Stripe yet: {reason}"[:100])
        db.session.commit()
    else:
        db.session.rollback()
