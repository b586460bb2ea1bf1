"""A bank's (or an aggregator's) signed notification that a transfer reached a seller's account.

The body is verified before anything is read from it: ``X-Signature: sha256=<hex>``, the HMAC-SHA256 of the raw
body with ``BANK_WEBHOOK_SECRET``, compared in constant time. The transfer is matched to an order by the code in its
note (``NS <order code>``, which the VietQR payload asks the buyer's app to carry) and to the account it reached.

Each transaction is applied once: its ``WebhookEvent`` row (provider ``bank``) is written in the transaction of its
effect, so a replay finds it and changes nothing, and two deliveries at once cannot both commit. Money we cannot
simply take as the order's payment (another amount, an order no longer waiting, no order at all) is never applied:
a ``PaymentFlag`` asks a person to look.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from typing import Any

from sqlalchemy.exc import IntegrityError

from core.errors import DomainError, ValidationError
from core.extensions import db
from market.models import (
    FlagKind,
    Order,
    OrderStatus,
    SellerBankAccount,
    WebhookEvent,
)
from market.models._types import PUBLIC_ID_ALPHABET, PUBLIC_ID_LENGTH
from market.payments.records import payment_of
from market.services import transitions
from market.services.flags import raise_flag

PROVIDER = "bank"
EVENT_TYPE = "transfer"
SIGNATURE_PREFIX = "sha256="
MAX_TRANSACTION_ID = 100  # market_webhook_events.event_id
# Banks pass the note on upper-cased, and some drop its spaces ("NSABCD234567").
_ORDER_CODE = re.compile(rf"(?<![0-9A-Z])NS\s*([{PUBLIC_ID_ALPHABET}]{{{PUBLIC_ID_LENGTH}}})(?![0-9A-Z])")


class NotificationRefused(DomainError):
    """Not a notification we can trust or read: answered 400, nothing changed."""

    status = 400
    code = "bad_notification"


def signature_for(body: bytes, secret: str) -> str:
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _verify(body: bytes, signature: str | None, secret: str) -> None:
    given = (signature or "").strip()
    if not given.isascii() or not hmac.compare_digest(signature_for(body, secret).encode(), given.lower().encode()):
        raise NotificationRefused("The signature does not match the body.")


def _read(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise NotificationRefused("The body is not JSON.") from None
    if not isinstance(data, dict):
        raise NotificationRefused("The body is not a JSON object.")
    transaction_id, amount = data.get("transaction_id"), data.get("amount")
    if not isinstance(transaction_id, str) or not 0 < len(transaction_id.strip()) <= MAX_TRANSACTION_ID:
        raise NotificationRefused("transaction_id must be a string of 1 to 100 characters.")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise NotificationRefused("amount must be a whole number of đồng.")
    return {
        "transaction_id": transaction_id.strip(),
        "amount": amount,
        "description": str(data.get("description") or ""),
        "account_number": str(data.get("account_number") or "").replace(" ", "").upper(),
        "bank_bin": str(data.get("bank_bin") or "").strip(),
    }


def order_code_in(description: str) -> str | None:
    found = _ORDER_CODE.search(description.upper())
    return found.group(1) if found else None


def _flag(kind: FlagKind, order: Order | None, transfer: dict, **details: Any) -> str:
    raise_flag(
        kind,
        transfer["transaction_id"],
        order_id=order.id if order else None,
        provider=PROVIDER,
        amount=transfer["amount"],
        description=transfer["description"][:300],
        account_number=transfer["account_number"],
        bank_bin=transfer["bank_bin"],
        **details,
    )
    return "flagged"


def _apply(transfer: dict) -> tuple[str, Order | None]:
    """What the transfer does, in the open transaction: (outcome, the order it concerns)."""
    account = db.session.scalar(
        db.select(SellerBankAccount).where(
            SellerBankAccount.bank_bin == transfer["bank_bin"],
            SellerBankAccount.account_number == transfer["account_number"],
        )
    )
    if account is None:
        return "ignored", None  # not an account a seller is paid into here: nothing of ours
    code = order_code_in(transfer["description"])
    order_id = db.session.scalar(db.select(Order.id).where(Order.public_id == code)) if code else None
    order = transitions.lock_order(order_id) if order_id is not None else None
    if order is None or order.payment_method != "vietqr" or order.seller_id != account.organization_id:
        return _flag(FlagKind.UNKNOWN_PAYMENT, order, transfer, order_code=code), order
    if order.status is not OrderStatus.PENDING_PAYMENT:
        payment = payment_of(order)
        if payment is not None and payment.reference == transfer["transaction_id"]:
            return "ignored", order  # the seller already confirmed this very transfer by its code
        return _flag(FlagKind.LATE_PAYMENT, order, transfer, order_status=order.status.value), order
    if transfer["amount"] != order.total:
        return _flag(FlagKind.AMOUNT_MISMATCH, order, transfer, order_total=order.total), order
    try:
        with db.session.begin_nested():
            transitions.move_as_system(
                order,
                OrderStatus.PAID,
                note=f"Bank transfer {transfer['transaction_id']} received.",
                reference=transfer["transaction_id"],
            )
    except ValidationError as error:  # the code already confirms another order's payment
        return _flag(FlagKind.UNKNOWN_PAYMENT, order, transfer, refused=error.code), order
    return "applied", order


def receive_notification(body: bytes, signature: str | None, secret: str) -> str:
    """Verify, match and apply one notification in one transaction; its outcome: applied, duplicate, flagged or
    ignored. A bad signature or an unreadable body raises ``NotificationRefused`` before anything is read or written.
    """
    _verify(body, signature, secret)
    transfer = _read(body)
    seen = db.session.scalar(
        db.select(WebhookEvent.id).where(
            WebhookEvent.provider == PROVIDER, WebhookEvent.event_id == transfer["transaction_id"]
        )
    )
    if seen is not None:
        db.session.rollback()
        return "duplicate"
    try:
        outcome, order = _apply(transfer)
        db.session.add(
            WebhookEvent(
                provider=PROVIDER,
                event_id=transfer["transaction_id"],
                type=EVENT_TYPE,
                outcome=outcome,
                object_id=order.public_id if order else None,
            )
        )
        order_id = order.id if order else None
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same transaction delivered twice at once: the other delivery applied it
        return "duplicate"
    except Exception:
        db.session.rollback()
        raise
    if outcome == "applied":
        transitions.after_commit(order_id, OrderStatus.PAID, [])
    return outcome
