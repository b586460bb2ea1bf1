"""Public pages and images of a batch, reachable without signing in: its QR code (/t/<code>/qr.png, .svg)."""

from __future__ import annotations

from flask import Response, request

from traceability.services import qr_codes
from traceability.views import bp

# An image's URL stays, but its ETag names its exact content (base URL, GTIN, lot, drawing version):
# caches may keep it for a year, and a changed content is a changed ETag.
CACHE_CONTROL = "public, max-age=31536000, immutable"


def _protect(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    # An SVG opened on its own could run script; ours has none, and this says none may run.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/t/<code>/qr.<any(png, svg):fmt>")
def batch_qr(code: str, fmt: str):
    image = qr_codes.qr_image(code, fmt)
    if request.if_none_match.contains_weak(image.etag):
        return _protect(Response(status=304), image.etag)
    return _protect(Response(qr_codes.qr_bytes(image), mimetype=image.content_type), image.etag)
