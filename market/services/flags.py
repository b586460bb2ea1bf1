"""Payment flags: differences between our records and a provider's, raised for a person to review.

Webhooks, refunds, bank notifications and the daily reconciliation all raise them here, once per kind and provider
reference however often the difference is seen (in the caller's transaction).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.extensions import db
from market.models import FlagKind, PaymentFlag


def raise_flag(kind: FlagKind, reference: str, *, order_id: int | None, **details: Any) -> bool:
    """Flag ``reference`` as ``kind`` unless it already is; True when this call raised it."""
    found = db.session.scalar(
        select(PaymentFlag.id).where(PaymentFlag.kind == kind, PaymentFlag.provider_reference == reference)
    )
    if found is not None:
        return False
    db.session.add(PaymentFlag(kind=kind, provider_reference=reference, order_id=order_id, details=details))
    return True
