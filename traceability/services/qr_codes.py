"""A batch's QR code image, drawn once and then served from file storage.

The QR code is public like the trace page it leads to: anyone holding the bag
may fetch it. Its content depends on PUBLIC_BASE_URL and the batch's GTIN and
lot, so the storage key and the ETag are a digest of exactly that content (and
of the drawing's version): a new base URL gives a new image, never a stale one.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from core.storage import ObjectNotFound, get_storage
from traceability import qr
from traceability.errors import BatchNotFoundError
from traceability.services.access import find_batch


@dataclass(frozen=True)
class QrImage:
    code: str
    fmt: str
    content: str  # what the symbol encodes
    etag: str  # strong validator: same content and drawing, same bytes
    key: str  # where the bytes are kept in file storage

    @property
    def content_type(self) -> str:
        return qr.FORMATS[self.fmt]


def qr_image(code: str, fmt: str) -> QrImage:
    """Which image the QR code of batch ``code`` is, without drawing it; 404 for an unknown code."""
    batch = find_batch(code)
    if batch is None:
        raise BatchNotFoundError(code)
    content = qr.content_for(current_app.config["PUBLIC_BASE_URL"], batch.code, batch.gtin, batch.lot_number)
    digest = qr.fingerprint(content, fmt)
    return QrImage(code=batch.code, fmt=fmt, content=content, etag=digest, key=f"qr/{batch.code}-{digest}.{fmt}")


def qr_bytes(image: QrImage) -> bytes:
    """The image's bytes from file storage, drawn and stored the first time they are asked for."""
    storage = get_storage()
    try:
        return storage.get(image.key)
    except ObjectNotFound:
        data = qr.render(image.content, image.fmt)
        # Two first requests at once both draw it; the bytes are identical, so the last write wins harmlessly.
        storage.put(image.key, data, image.content_type)
        return data
