"""A provider's or a bank's reference confirms one payment only."""

from __future__ import annotations

from core.errors import ValidationError
from core.extensions import db
from market.messages import REFERENCE_USED, REFERENCE_USED_FIELD
from market.models import Order, Payment


def check_reference(order: Order, reference: str | None) -> None:
    """Refused (422 on ``reference``) when another order's payment of the same method already carries it: said
    clearly here rather than by the unique constraint failing the commit."""
    if not reference:
        return
    taken = db.session.scalar(
        db.select(Payment.id).where(
            Payment.method == order.payment_method, Payment.reference == reference, Payment.order_id != order.id
        )
    )
    if taken is not None:
        raise ValidationError(REFERENCE_USED, errors={"reference": [REFERENCE_USED_FIELD(reference=reference)]})
