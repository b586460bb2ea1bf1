"""The seller's word that the money arrived: a VietQR transfer seen in their bank app, or cash in hand.

It is the order's move to ``paid`` (``transitions.transition``), with the bank's transaction code as the payment's
reference: only the seller may (403 for the buyer, 404 for anyone else), only where the state machine allows it
(409), and a reference that already confirms another order's payment is refused on its field (422).
"""

from __future__ import annotations

from core.accounts.models import User
from core.errors import ValidationError
from market.messages import TOO_LONG
from market.models import Order
from market.services import transitions

MAX_REFERENCE = 100  # market_payments.reference


def confirm_payment(user: User, public_id: str, *, reference: str | None, amount: int | None = None) -> Order:
    reference = (reference or "").strip() or None
    if reference and len(reference) > MAX_REFERENCE:
        raise ValidationError(TOO_LONG(count=MAX_REFERENCE), errors={"reference": [TOO_LONG(count=MAX_REFERENCE)]})
    return transitions.transition(user, public_id, "paid", amount=amount, reference=reference)
