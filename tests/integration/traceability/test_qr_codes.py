"""QR codes at /t/<code>/qr.png and .svg: decodable, drawn once, cached for a year, 304 on a matching ETag."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import biip
import pytest
import zxingcpp
from PIL import Image

from core.storage import build_storage
from tests.traceability_builders import BatchWorld

GTIN = "08930000000019"


@pytest.fixture
def world(app):
    return BatchWorld(app)


def decoded(png: bytes) -> str:
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return found.text


def test_the_png_of_a_lot_without_gtin_decodes_to_its_trace_page(client, world):
    code = world.harvest("an")
    response = client.get(f"/t/{code}/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert decoded(response.data) == f"http://localhost/t/{code}"


def test_a_lot_with_gtin_carries_its_digital_link_which_biip_accepts(client, world):
    code = world.harvest("an", gtin=GTIN, lot_number="HTX-2026-01")
    url = decoded(client.get(f"/t/{code}/qr.png").data)
    assert url == f"http://localhost/01/{GTIN}/10/HTX-2026-01"
    parsed = biip.parse(url)
    assert parsed.gtin_error is None and parsed.gs1_digital_link_uri_error is None
    assert [es.value for es in parsed.gs1_digital_link_uri.element_strings] == [GTIN, "HTX-2026-01"]


def test_a_lot_with_gtin_but_no_lot_number_uses_its_code_as_the_lot(client, world):
    code = world.harvest("an", gtin=GTIN)
    assert decoded(client.get(f"/t/{code}/qr.png").data) == f"http://localhost/01/{GTIN}/10/{code}"


def test_the_svg_is_xml_naming_the_same_url(client, world):
    code = world.harvest("an")
    response = client.get(f"/t/{code.lower()}/qr.svg")  # codes are typed in any case
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)
    assert root.find("{http://www.w3.org/2000/svg}title").text == f"http://localhost/t/{code}"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_cached_for_a_year_with_a_strong_etag_and_304_when_it_matches(client, world):
    code = world.harvest("an")
    first = client.get(f"/t/{code}/qr.png")
    etag, weak = first.get_etag()
    assert etag and not weak
    assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    again = client.get(f"/t/{code}/qr.png", headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304 and again.data == b""
    assert again.get_etag() == (etag, False) and again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert client.get(f"/t/{code}/qr.svg", headers={"If-None-Match": f'"{etag}"'}).status_code == 200  # another image


def test_drawn_once_then_served_from_file_storage(app, client, world):
    code = world.harvest("an")
    first = client.get(f"/t/{code}/qr.png")
    storage = build_storage(app.config)
    key = f"qr/{code}-{first.get_etag()[0]}.png"
    assert storage.get(key) == first.data
    # What storage holds is what is served: the image is not drawn again.
    storage.put(key, b"kept image", "image/png")
    assert client.get(f"/t/{code}/qr.png").data == b"kept image"


def test_another_public_base_url_is_another_image_and_etag(client, make_app, world):
    code = world.harvest("an")
    here = client.get(f"/t/{code}/qr.png")
    elsewhere = make_app(PUBLIC_BASE_URL="https://truyxuat.example.vn").test_client().get(f"/t/{code}/qr.png")
    assert decoded(elsewhere.data) == f"https://truyxuat.example.vn/t/{code}"
    assert elsewhere.get_etag()[0] != here.get_etag()[0]


def test_an_unknown_code_is_a_friendly_not_found_page(client, world):
    response = client.get("/t/ZZZZZZZZ/qr.png", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.mimetype == "text/html" and "Page not found" in response.get_data(as_text=True)
