"""Paying an order by card: our server creates and confirms the PaymentIntent for the order's own amount.

The browser only turns the card into a payment method (Stripe.js); the amount
and currency come from the order. Each attempt claims the order's payment first
(committed under the order's row lock), so a double click or a second tab cannot
charge twice, and calls Stripe outside any transaction with the attempt's own
idempotency key. The order becomes paid only when Stripe's signed webhook says
so (``market.services.webhooks``); a declined card cancels the order at once,
releasing its stock.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from core.accounts.models import User
from core.errors import Conflict, PermissionDenied, ValidationError
from core.extensions import db
from market import states
from market.errors import CardDeclinedError, OrderLapsedError, PaymentProviderError
from market.messages import (
    BELOW_CARD_MINIMUM,
    CARD_DECLINED,
    CARD_PROVIDER_DOWN,
    NOT_A_CARD_ORDER,
    ONLY_BUYER_PAYS,
    ORDER_NOT_PAYABLE,
    PAYMENT_IN_PROGRESS,
    PAYMENT_METHOD_ID,
)
from market.models import Order, OrderStatus, Payment, PaymentStatus
from market.payments.card import CURRENCY
from market.payments.records import payment_of
from market.payments.stripe_gateway import CardDeclined, GatewayError, Intent, StripeGateway, UnknownPaymentMethod
from market.services import transitions
from market.services.orders import visible_order
from market.services.transitions import expire_lapsed

# Stripe's answers of an attempt that waits for the buyer (it may be cancelled for a new one), and of one that is over.
UNFINISHED = ("requires_action", "requires_payment_method", "requires_confirmation")
OVER = ("canceled",)
DECLINED_NOTE = "The card was declined."  # the reason is kept on the payment (failure_code)


@dataclass(frozen=True)
class CardAttempt:
    payment_intent_id: str
    status: str
    client_secret: str | None  # only when the bank asks for 3-D Secure (confirmCardPayment in the browser)


def minimum_amount() -> int:
    return int(current_app.config.get("STRIPE_MIN_AMOUNT_VND", 15000))


def _check(user: User, public_id: str, payment_method: str) -> tuple[Order, Payment]:
    order, roles = visible_order(user, public_id, lock=True)
    if states.BUYER not in roles:
        raise PermissionDenied(ONLY_BUYER_PAYS)
    if order.payment_method != "card":
        raise Conflict(NOT_A_CARD_ORDER(method=order.payment_method))
    if expire_lapsed(order):
        raise OrderLapsedError("paid")
    if order.status is not OrderStatus.PENDING_PAYMENT:
        raise Conflict(ORDER_NOT_PAYABLE(status=order.status.value), current_status=order.status.value)
    if order.total < minimum_amount():
        raise ValidationError(
            BELOW_CARD_MINIMUM(minimum=minimum_amount(), amount=order.total),
            errors={"payment_method": [BELOW_CARD_MINIMUM(minimum=minimum_amount(), amount=order.total)]},
        )
    if (
        not isinstance(payment_method, str)
        or not payment_method.startswith(("pm_", "card_"))
        or len(payment_method) > 100
    ):
        raise ValidationError(PAYMENT_METHOD_ID, errors={"payment_method": [PAYMENT_METHOD_ID]})
    return order, payment_of(order)


def _settle_previous(reference: str, gateway: StripeGateway) -> None:
    """A previous attempt still open at Stripe (3-D Secure never finished): cancel it there so that a new one may
    start; 409 when it is still being decided (the webhook will tell). Called with no transaction open."""
    try:
        previous = gateway.retrieve(reference)
        if previous.status in OVER:
            return
        if previous.status not in UNFINISHED:
            raise Conflict(PAYMENT_IN_PROGRESS, payment_intent_id=reference)
        gateway.cancel(previous.id)
    except GatewayError as error:
        raise PaymentProviderError(CARD_PROVIDER_DOWN) from error


def _claim(user: User, public_id: str, payment_method: str, gateway: StripeGateway) -> tuple[int, int, int, int]:
    """Check and claim the attempt, committed, so that a second request sees it in progress: (order id, payment id,
    attempt, amount). Stripe is asked about an earlier open attempt between two short transactions, never while
    the order is locked."""
    for _round in range(2):
        try:
            order, payment = _check(user, public_id, payment_method)
            payment_id = payment.id
            if payment.status is PaymentStatus.PROCESSING:
                if payment.reference is None:
                    raise Conflict(PAYMENT_IN_PROGRESS)  # another request is talking to Stripe right now
                previous = payment.reference
            else:
                previous = None
                payment.attempt += 1
                payment.status = PaymentStatus.PROCESSING
                payment.reference = None
                payment.failure_code = None
                claimed = (order.id, payment.id, payment.attempt, order.total)
        except Exception:
            db.session.rollback()
            raise
        if previous is None:
            db.session.commit()
            return claimed
        db.session.rollback()
        _settle_previous(previous, gateway)
        _release(payment_id=payment_id, reference=previous)
    raise Conflict(PAYMENT_IN_PROGRESS)


def _release(*, payment_id: int, reference: str) -> None:
    """The earlier attempt ``reference`` is over at Stripe: the payment may be tried again (if nothing moved)."""
    payment = db.session.get(Payment, payment_id, populate_existing=True)
    if payment.status is PaymentStatus.PROCESSING and payment.reference == reference:
        payment.status = PaymentStatus.PENDING
    db.session.commit()


def _declined(order_id: int, payment_id: int, attempt: int, code: str, intent_id: str | None) -> None:
    """The card was refused: the attempt failed, the order is cancelled and its reservation released."""
    order = transitions.lock_order(order_id)
    payment = db.session.get(Payment, payment_id, populate_existing=True)
    refund_ids: list[int] = []
    if payment.attempt == attempt and payment.status is not PaymentStatus.CONFIRMED:
        payment.status = PaymentStatus.FAILED
        payment.failure_code = code[:60]
        payment.reference = intent_id or payment.reference
        if order.status is OrderStatus.PENDING_PAYMENT:
            transitions.move_as_system(order, OrderStatus.CANCELLED, note=DECLINED_NOTE)
            refund_ids = transitions.pending_refunds(order)
    db.session.commit()
    transitions.after_commit(order_id, OrderStatus.CANCELLED, refund_ids)


def _given_up(payment_id: int, attempt: int) -> None:
    """Stripe did not answer this attempt. It is given up (its number is never used again, so a late failure of it is
    recognised as stale); should Stripe have charged anyway, its webhook still pays the order."""
    payment = db.session.get(Payment, payment_id, populate_existing=True)
    if payment.attempt == attempt and payment.status is PaymentStatus.PROCESSING and payment.reference is None:
        payment.status = PaymentStatus.PENDING
        payment.failure_code = "provider_unreachable"
    db.session.commit()


def _record(payment_id: int, attempt: int, intent: Intent) -> None:
    payment = db.session.get(Payment, payment_id, populate_existing=True)
    # The webhook may have been quicker and confirmed it already: then there is nothing to add.
    if payment.attempt == attempt and payment.status is PaymentStatus.PROCESSING:
        payment.reference = intent.id
    db.session.commit()


def pay_by_card(user: User, public_id: str, payment_method: str, *, gateway: StripeGateway) -> CardAttempt:
    """Charge the order's total to the card ``payment_method`` (a Stripe.js payment method id).

    402 when the card is declined (the order is cancelled then), 409 when the order is not payable or a payment
    is in progress, 422 for a bad payment method or an amount below Stripe's minimum, 503 when Stripe is down.
    """
    order_id, payment_id, attempt, amount = _claim(user, public_id, payment_method, gateway)
    try:
        intent = gateway.pay(
            amount=amount,
            currency=CURRENCY,
            payment_method=payment_method,
            idempotency_key=f"order-{public_id}-attempt-{attempt}",
            metadata={"order_id": public_id, "attempt": str(attempt)},
        )
    except CardDeclined as declined:
        _declined(order_id, payment_id, attempt, declined.code, declined.payment_intent_id)
        raise CardDeclinedError(CARD_DECLINED(reason=declined.code), decline_code=declined.code) from None
    except UnknownPaymentMethod:
        _given_up(payment_id, attempt)
        raise ValidationError(PAYMENT_METHOD_ID, errors={"payment_method": [PAYMENT_METHOD_ID]}) from None
    except GatewayError as error:
        _given_up(payment_id, attempt)
        raise PaymentProviderError(CARD_PROVIDER_DOWN) from error
    if intent.status in ("requires_payment_method", "canceled"):
        code = intent.error_code or "card_declined"
        _declined(order_id, payment_id, attempt, code, intent.id)
        raise CardDeclinedError(CARD_DECLINED(reason=code), decline_code=code, payment_intent_id=intent.id)
    _record(payment_id, attempt, intent)
    return CardAttempt(
        payment_intent_id=intent.id,
        status=intent.status,
        client_secret=intent.client_secret if intent.status == "requires_action" else None,
    )
