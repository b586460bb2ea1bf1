"""Public pages and images of a batch, reachable without signing in: its QR code (/t/<code>/qr.png, .svg)."""

from __future__ import annotations

from flask import Response, request

from core.files.views import immutable
from traceability.services import qr_codes
from traceability.views import bp

# An image's URL stays, but its ETag names its exact content (base URL, GTIN, lot, drawing version):
# caches may keep it for a year, and a changed content is a changed ETag. The sandbox CSP also means an
# SVG opened on its own may run no script.


@bp.get("/t/<code>/qr.<any(png, svg):fmt>")
def batch_qr(code: str, fmt: str):
    image = qr_codes.qr_image(code, fmt)
    if request.if_none_match.contains_weak(image.etag):
        return immutable(Response(status=304), image.etag)
    return immutable(Response(qr_codes.qr_bytes(image), mimetype=image.content_type), image.etag)
