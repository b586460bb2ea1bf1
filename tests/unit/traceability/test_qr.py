"""QR codes: a real decoder reads the URL back from the PNG; the SVG is well-formed XML of the same symbol."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import zxingcpp
from PIL import Image

from traceability import qr

BASE = "https://nongsan.example.vn"


def decode(png: bytes) -> list:
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))


def test_a_batch_without_gtin_carries_its_short_trace_url():
    assert qr.content_for(BASE, "7KQ2MXPA", None, None) == f"{BASE}/t/7KQ2MXPA"


def test_a_batch_with_gtin_carries_its_digital_link_with_lot_number_or_code():
    assert qr.content_for(BASE, "7KQ2MXPA", "08930000000019", "HTX-26") == f"{BASE}/01/08930000000019/10/HTX-26"
    assert qr.content_for(BASE, "7KQ2MXPA", "08930000000019", None) == f"{BASE}/01/08930000000019/10/7KQ2MXPA"


def test_the_png_decodes_to_the_url_at_error_correction_q():
    content = f"{BASE}/01/08930000000019/10/7KQ2MXPA"
    (found,) = decode(qr.png_bytes(content))
    assert found.text == content
    assert found.format == zxingcpp.BarcodeFormat.QRCode
    assert found.ec_level == "Q"


def test_the_png_keeps_a_quiet_zone_of_four_modules():
    content = f"{BASE}/t/7KQ2MXPA"
    image = Image.open(io.BytesIO(qr.png_bytes(content))).convert("L")
    margin = qr.QUIET_ZONE * qr.PNG_MODULE_PX
    width, height = image.size
    border = [
        image.getpixel((x, y))
        for x in range(width)
        for y in range(height)
        if min(x, y, width - 1 - x, height - 1 - y) < margin
    ]
    assert min(border) == 255  # all white
    assert image.getpixel((margin, margin)) == 0  # the finder pattern starts right after it


def test_the_svg_is_xml_with_the_symbol_and_its_quiet_zone():
    content = f"{BASE}/t/7KQ2MXPA?a=1&b=2"
    root = ET.fromstring(qr.svg_bytes(content))
    modules = qr.matrix(content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == f"0 0 {len(modules)} {len(modules)}"
    assert root.find("{http://www.w3.org/2000/svg}title").text == content
    # The path's runs cover exactly the dark modules.
    dark = {(x, y) for y, row in enumerate(modules) for x, on in enumerate(row) if on}
    covered = {(x + i, y) for x, y, length in qr.dark_runs(modules) for i in range(length)}
    assert covered == dark
    assert all(not modules[y][x] for y in range(qr.QUIET_ZONE) for x in range(len(modules)))


def test_the_fingerprint_changes_with_the_base_url_and_the_format():
    one = qr.fingerprint(f"{BASE}/t/7KQ2MXPA", "png")
    assert one != qr.fingerprint("https://other.example/t/7KQ2MXPA", "png")
    assert one != qr.fingerprint(f"{BASE}/t/7KQ2MXPA", "svg")
    assert one == qr.fingerprint(f"{BASE}/t/7KQ2MXPA", "png")
