"""Cash on delivery: the buyer pays the seller in cash when the goods are handed over.

Nothing is taken at checkout. The seller confirms the cash once received (the
order becomes paid); a refund is cash given back, recorded by the seller.
"""

from __future__ import annotations

from core.accounts.models import User
from core.errors import ValidationError
from core.messages import Message
from market.messages import ORDER_TOTAL_IS, TRANSFER_IS_THE_TOTAL
from market.models import Order, Payment, PaymentStatus, Refund, RefundStatus
from market.payments.records import confirm_payment, payment_of, record_refund
from market.payments.references import check_reference


class CashOnDelivery:
    name = "cod"
    collected_by_platform = False

    def unavailable(self, seller_id: int | None) -> tuple[Message, Message] | None:
        return None  # every seller can take cash

    def instructions(self, order: Order) -> dict:
        payment = payment_of(order)
        paid = payment is not None and payment.status is PaymentStatus.CONFIRMED
        return {
            "method": self.name,
            "amount_due": 0 if paid else order.total,
            "currency": "VND",
            "pay_on": order.delivery_method,
            "message": "Paid in cash."
            if paid
            else f"Pay {order.total} VND in cash to the seller when you receive the goods; nothing is paid now.",
        }

    def confirm(self, order: Order, *, amount: int, reference: str | None = None, by: User | None = None) -> Payment:
        if amount != order.total:
            raise ValidationError(TRANSFER_IS_THE_TOTAL, errors={"amount": [ORDER_TOTAL_IS(amount=order.total)]})
        check_reference(order, reference)
        return confirm_payment(order, self.name, amount=amount, reference=reference, by=by)

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
        return record_refund(
            order,
            self.name,
            amount,
            reason,
            by=by,
            reason_code=reason_code,
            reference=reference,
            status=RefundStatus.SUCCEEDED,
        )
