"""The address-check page: type an old address, see the new one or choose among candidates."""

from __future__ import annotations

import re

import pytest

from core.geo import views


@pytest.fixture
def page_client(app, make_app):
    """The shared app if it registers the page, else one that does (the lead wires it in core/app.py)."""
    if "geo" in app.blueprints:
        return app.test_client()
    application = make_app()
    application.register_blueprint(views.bp)
    return application.test_client()


def page(client, **fields):
    query = {f"address-{key}": value for key, value in fields.items()}
    response = client.get("/geo/address-check", query_string={**query, "lang": "en"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_blank_page_offers_the_old_address_box_and_dong_nai(page_client):
    html = page_client.get("/geo/address-check?lang=en").get_data(as_text=True)
    assert 'name="address-old_address"' in html
    assert '<details class="address-old" open>' in html
    assert '<option value="75" selected>Đồng Nai</option>' in html
    assert '<option value="25270">Xã Lộc Ninh</option>' in html
    assert 'name="address-refresh"' in html
    assert "<script" not in html.split("<main", 1)[1]


def test_an_old_address_shows_the_new_one(page_client):
    html = page(
        page_client,
        province_code="75",
        commune_code="",
        street="",
        old_address="Ấp 3, xã Lộc Thái, huyện Lộc Ninh, Bình Phước",
    )
    assert "Ấp 3, Xã Lộc Ninh, Tỉnh Đồng Nai" in html
    assert "25270" in html


def test_an_ambiguous_old_address_lists_candidates_to_choose(page_client):
    html = page(page_client, province_code="75", commune_code="", street="", old_address="xã Tân Lập")
    radios = re.findall(r'<input type="radio"[^>]*name="address-candidate" value="(\d+)"', html)
    assert len(radios) > 10 and radios[0] == "25363"
    assert "Xã Đồng Phú, Đồng Nai" in html
    assert "Your new address" not in html

    chosen = page(
        page_client, province_code="75", commune_code="", street="Thôn 1", old_address="xã Tân Lập", candidate="25363"
    )
    assert "Thôn 1, Xã Đồng Phú, Tỉnh Đồng Nai" in chosen


def test_an_unknown_old_address_says_so(page_client):
    html = page(page_client, province_code="75", commune_code="", street="", old_address="qwerty zxcv")
    assert "We could not find this old address" in html
    assert 'aria-invalid="true"' in html


def test_show_communes_switches_the_list_to_the_chosen_province(page_client):
    html = page(page_client, province_code="01", commune_code="25270", street="", refresh="1")
    assert '<option value="01" selected>Thành phố Hà Nội</option>' in html
    assert '<option value="00070">Phường Hoàn Kiếm</option>' in html
    assert "Xã Lộc Ninh" not in html
    assert "Your new address" not in html


def test_the_picker_refuses_with_messages_translated_where_the_page_shows_them(app):
    from core.geo.picker import read_address_picker
    from core.i18n import translate

    form = {"address-province_code": "75", "address-old_address": "qwerty zxcv", "address-street": "x" * 201}
    with app.test_request_context("/?lang=vi"):  # read while the reader's language is Vietnamese
        picker = read_address_picker(form)
        (not_found,), (too_long,) = picker.errors["old_address"], picker.errors["street"]
        assert not_found.code == "address_not_found" and too_long.code == "street_too_long"
        assert not_found.startswith("We could not find this old address")  # English until shown
        assert translate(not_found).startswith("Không tìm thấy địa chỉ cũ này.")
        assert translate(too_long) == "Số nhà và tên đường không quá 200 ký tự."
