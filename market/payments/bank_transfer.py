"""VietQR bank transfer: the buyer's banking app pays the seller's account the exact amount, the order code noted.

The money goes straight to the seller's own bank account (the one they gave in
their payment settings), so the method is offered only to a seller who has
given one. Nothing tells the platform by itself that the money arrived: the
seller confirms it after seeing it in their account (or a bank's signed
notification does, ``market.services.bank_notifications``). A refund is a
transfer back, recorded with its bank reference.
"""

from __future__ import annotations

from flask import current_app, has_request_context, request

from core.accounts.models import User
from core.errors import ValidationError
from core.extensions import db
from core.messages import Message
from market.banks import bank_name
from market.messages import (
    GIVE_THE_REFERENCE,
    NO_BANK_ACCOUNT,
    NO_BANK_ACCOUNT_FIELD,
    ORDER_TOTAL_IS,
    REFERENCE_FROM_BANK,
    TRANSFER_IS_THE_TOTAL,
)
from market.models import Order, OrderStatus, Payment, PaymentStatus, Refund, RefundStatus, SellerBankAccount
from market.payments import vietqr
from market.payments.records import confirm_payment, payment_of, record_refund
from market.payments.references import check_reference


def bank_account_of(seller_id: int | None) -> SellerBankAccount | None:
    """The seller's account, from the session (``get``: no round trip while the session holds it unexpired).

    Within a request the accounts read are held on the request, so that the session's identity map (which
    holds its objects weakly) still has them when the same request asks again: checkout checks each seller's
    account, then its answer shows it.
    """
    if seller_id is None:
        return None
    account = db.session.get(SellerBankAccount, seller_id)
    if account is not None and has_request_context():
        request.environ.setdefault("nongsan.bank_accounts", {})[seller_id] = account
    return account


def transfer_note(order: Order) -> str:
    """What the buyer's transfer carries in its note: the order code, which is how the seller recognises it."""
    return f"NS {order.public_id}"


def image_url(order: Order) -> str:
    """Where the order's transfer QR is drawn (``market.views.transfers``), for the order page and API clients."""
    return f"{current_app.config['PUBLIC_BASE_URL']}/market/orders/{order.public_id}/vietqr.png"


def transfer_of(order: Order) -> vietqr.Transfer | None:
    account = bank_account_of(order.seller_id)
    if account is None:
        return None
    return vietqr.Transfer(
        bank_bin=account.bank_bin, account=account.account_number, amount=order.total, purpose=transfer_note(order)
    )


class BankTransfer:
    name = "vietqr"
    collected_by_platform = False

    def unavailable(self, seller_id: int | None) -> tuple[Message, Message] | None:
        if seller_id is not None and bank_account_of(seller_id) is None:
            return NO_BANK_ACCOUNT, NO_BANK_ACCOUNT_FIELD
        return None

    def instructions(self, order: Order) -> dict:
        payment = payment_of(order)
        paid = payment is not None and payment.status is PaymentStatus.CONFIRMED
        account = bank_account_of(order.seller_id)
        transfer = transfer_of(order)
        due = transfer is not None and not paid and order.status is OrderStatus.PENDING_PAYMENT
        return {
            "method": self.name,
            "amount_due": order.total if not paid and order.status is OrderStatus.PENDING_PAYMENT else 0,
            "currency": "VND",
            "status": payment.status.value if payment else "pending",
            "transfer_note": transfer_note(order),
            "bank_bin": account.bank_bin if account else None,
            "bank_name": bank_name(account.bank_bin) if account else None,
            "account_number": account.account_number if account else None,
            "account_name": account.account_name if account else None,
            "vietqr_payload": vietqr.payload(transfer) if due else None,
            "vietqr_image_url": image_url(order) if due else None,
            "message": "Paid by bank transfer."
            if paid
            else f"Transfer {order.total} VND with the note {transfer_note(order)!r}; the seller confirms receipt.",
        }

    def confirm(self, order: Order, *, amount: int, reference: str | None = None, by: User | None = None) -> Payment:
        if amount != order.total:
            raise ValidationError(TRANSFER_IS_THE_TOTAL, errors={"amount": [ORDER_TOTAL_IS(amount=order.total)]})
        # The seller's bank app shows each transfer's code: it is what tells this transfer from the next one.
        if not (reference or "").strip():
            raise ValidationError(GIVE_THE_REFERENCE, errors={"reference": [REFERENCE_FROM_BANK]})
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
