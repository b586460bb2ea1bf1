"""Card payments through Stripe ("finalize on the server"), for buyers abroad and anyone paying online.

The buyer's browser turns the card into a PaymentMethod with Stripe.js; our
server creates and confirms the PaymentIntent for the order's own amount
(``market.services.card_payments``). The order becomes paid only when Stripe's
signed webhook says the PaymentIntent succeeded (``market.services.webhooks``),
never on the browser's word. The money is collected by the platform and owed on
to the producer through the payout ledger. Offered once Stripe is configured.
"""

from __future__ import annotations

from flask import current_app, url_for

from core.accounts.models import User
from core.errors import ValidationError
from core.messages import Message
from market.messages import CARD_NOT_CONFIGURED, CARD_NOT_CONFIGURED_FIELD, ORDER_TOTAL_IS, TRANSFER_IS_THE_TOTAL
from market.models import Order, Payment, PaymentStatus, Refund, RefundStatus
from market.payments.records import confirm_payment, payment_of, record_refund
from market.payments.stripe_gateway import configured

CURRENCY = "VND"  # zero-decimal at Stripe: 250.000 ₫ is amount=250000


class CardPayments:
    name = "card"
    collected_by_platform = True

    def unavailable(self, seller_id: int | None) -> tuple[Message, Message] | None:
        if not configured():
            return CARD_NOT_CONFIGURED, CARD_NOT_CONFIGURED_FIELD
        return None

    def instructions(self, order: Order) -> dict:
        payment = payment_of(order)
        status = payment.status if payment else PaymentStatus.PENDING
        paid = status is PaymentStatus.CONFIRMED
        payable = order.status.value == "pending_payment" and status is not PaymentStatus.PROCESSING
        return {
            "method": self.name,
            "amount_due": 0 if paid or not payable else order.total,
            "currency": CURRENCY,
            "status": status.value,
            "publishable_key": current_app.config.get("STRIPE_PUBLISHABLE_KEY") or None,
            "stripe_js_url": current_app.config.get("STRIPE_JS_URL"),
            "card_payment_url": url_for("market_orders.OrderCardPayment", order_id=order.public_id, _external=True)
            if payable
            else None,
            "payment_page_url": url_for("market.order_pay", order_id=order.public_id, _external=True)
            if payable
            else None,
            "payment_intent_id": payment.reference if payment else None,
            "failure_code": payment.failure_code if payment else None,
            "message": "Paid by card."
            if paid
            else (
                "The card payment is being processed."
                if status is PaymentStatus.PROCESSING
                else f"Pay {order.total} VND by card on the order's payment page."
            ),
        }

    def confirm(self, order: Order, *, amount: int, reference: str | None = None, by: User | None = None) -> Payment:
        """Stripe said the PaymentIntent ``reference`` succeeded for ``amount`` (checked by the webhook)."""
        if amount != order.total:
            raise ValidationError(TRANSFER_IS_THE_TOTAL, errors={"amount": [ORDER_TOTAL_IS(amount=order.total)]})
        return confirm_payment(order, self.name, amount=amount, reference=reference, by=by, keep_reference=True)

    def refund(
        self,
        order: Order,
        amount: int,
        reason: str | None = None,
        *,
        by: User | None = None,
        reason_code: str = "other",
        reference: str | None = None,
    ) -> Refund:
        """A pending refund: ``market.services.refunds`` sends it to Stripe once this transaction has committed."""
        return record_refund(
            order,
            self.name,
            amount,
            reason,
            by=by,
            reason_code=reason_code,
            reference=None,
            status=RefundStatus.PENDING,
        )
