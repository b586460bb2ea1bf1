"""QR codes of batches: what they carry and how they are drawn (PNG, SVG, and a module matrix for PDF labels).

Chosen for a code printed on a jute or PP bag and scanned by a cheap phone:

- Error correction level Q (about 25% of the symbol may be lost): bags are folded,
  scuffed, stained and printed on rough fibre, so the code must survive a torn or
  dirty corner. Level H would add another version step (a denser code) for damage
  that a label rarely survives anyway; M (15%) is too little for a bag in a warehouse.
  For our URLs (40-60 characters) Q gives a version 4-5 symbol: 33-37 modules.
- Quiet zone of 4 modules kept (ISO/IEC 18004 asks for it): without the blank
  margin, phone decoders lose the finder patterns against woven fibre or print
  next to the code.
- PNG at 10 px per module (about 410-450 px): sharp on a phone screen and 35-40 mm
  wide at 300 dpi, so each module is about 1 mm on a printed label. The SVG and the
  PDF labels draw the same matrix as vectors, at any size.

``RENDER_VERSION`` is part of every cached image's key and ETag: change it when
the drawing changes so that caches (ours and the browsers') take the new image.
"""

from __future__ import annotations

import hashlib
import io
from xml.sax.saxutils import escape

import qrcode
from qrcode.constants import ERROR_CORRECT_Q

from traceability.digital_link import build, lot_for, trace_url

ERROR_CORRECTION = ERROR_CORRECT_Q
QUIET_ZONE = 4  # modules
PNG_MODULE_PX = 10
SVG_MODULE_PX = 8  # the SVG's nominal size; it scales without loss
RENDER_VERSION = "1"
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


def content_for(base_url: str, code: str, gtin: str | None, lot_number: str | None) -> str:
    """What a batch's QR code carries: its GS1 Digital Link when it has a GTIN (and a usable lot), else its short URL"""
    lot = lot_for(code, lot_number)
    if gtin and lot:
        return build(base_url, gtin, lot)
    return trace_url(base_url, code)


def _symbol(content: str) -> qrcode.QRCode:
    symbol = qrcode.QRCode(error_correction=ERROR_CORRECTION, box_size=PNG_MODULE_PX, border=QUIET_ZONE)
    symbol.add_data(content)
    symbol.make(fit=True)
    return symbol


def matrix(content: str) -> list[list[bool]]:
    """The symbol's modules, quiet zone included (True is dark), top row first."""
    return _symbol(content).get_matrix()


def fingerprint(content: str, fmt: str) -> str:
    """A digest naming one rendering of ``content``: used as storage key part and strong ETag."""
    return hashlib.sha256(f"{RENDER_VERSION}|{fmt}|{content}".encode()).hexdigest()[:24]


def png_bytes(content: str) -> bytes:
    image = _symbol(content).make_image()  # 1-bit PIL image: a few hundred bytes
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def dark_runs(modules: list[list[bool]]) -> list[tuple[int, int, int]]:
    """Horizontal runs of dark modules as (x, y, length): far fewer shapes than one per module."""
    runs = []
    for y, row in enumerate(modules):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append((start, y, x - start))
            else:
                x += 1
    return runs


def svg_bytes(content: str) -> bytes:
    modules = matrix(content)
    size = len(modules)
    path = "".join(f"M{x} {y}h{length}v1h-{length}z" for x, y, length in dark_runs(modules))
    pixels = size * SVG_MODULE_PX
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{pixels}" height="{pixels}" '
        'shape-rendering="crispEdges" role="img">'
        f"<title>{escape(content)}</title>"
        f'<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>\n'
    )
    return document.encode()


def render(content: str, fmt: str) -> bytes:
    if fmt == "png":
        return png_bytes(content)
    if fmt == "svg":
        return svg_bytes(content)
    raise ValueError(f"unknown QR image format {fmt!r}")
