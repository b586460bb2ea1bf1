"""The VietQR payload drawn as a PNG that a banking app scans off the buyer's screen (or a printed invoice).

Error correction M (15%): the code is shown on a screen, not printed on a bag, so it is not worn; M keeps the
symbol of a 100-120 character payload at version 5-6, which any phone camera reads at arm's length. The quiet
zone of 4 modules stays (ISO/IEC 18004): without it, decoders lose the finder patterns against a dark theme.
"""

from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4  # modules
MODULE_PX = 8
CONTENT_TYPE = "image/png"


def png(payload: str) -> bytes:
    symbol = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=MODULE_PX, border=QUIET_ZONE)
    symbol.add_data(payload)
    symbol.make(fit=True)
    buffer = io.BytesIO()
    symbol.make_image().save(buffer, format="PNG")
    return buffer.getvalue()
