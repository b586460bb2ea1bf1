"""The VietQR code of an order still to be paid by transfer, for its buyer's banking app to scan."""

from __future__ import annotations

from core.accounts.models import User
from core.errors import NotFound
from market.messages import NO_TRANSFER_QR
from market.models import OrderStatus
from market.payments import vietqr, vietqr_image
from market.payments.bank_transfer import transfer_of
from market.services.orders import visible_order

CONTENT_TYPE = vietqr_image.CONTENT_TYPE


def transfer_qr_png(user: User, public_id: str) -> bytes:
    """The PNG of the order's transfer (its total, the seller's account, the order code as the note).

    For the order's buyer and seller only (404 for anyone else), and only while the order waits for the transfer:
    a code still scannable after the order is paid or cancelled would take the money a second time.
    """
    order, _roles = visible_order(user, public_id)
    transfer = transfer_of(order) if order.payment_method == "vietqr" else None
    if transfer is None or order.status is not OrderStatus.PENDING_PAYMENT:
        raise NotFound(NO_TRANSFER_QR(order=public_id))
    return vietqr_image.png(vietqr.payload(transfer))
