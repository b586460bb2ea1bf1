"""The no-JavaScript address picker: what a submitted form becomes."""

from __future__ import annotations

from core.geo.picker import new_address_picker, read_address_picker


def form(**fields):
    return {f"address-{key}": value for key, value in fields.items()}


def test_a_blank_picker_offers_dong_nai_and_its_communes():
    picker = new_address_picker()
    assert picker.province_code == "75"
    assert len(picker.provinces) == 34
    assert len(picker.communes) == 95
    assert picker.commune is None and not picker.is_complete


def test_an_edit_picker_starts_at_the_stored_commune():
    picker = new_address_picker("00070", "1 Tràng Tiền")
    assert picker.province_code == "01"
    assert picker.commune.name == "Phường Hoàn Kiếm"
    assert picker.full_address == "1 Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội"


def test_a_commune_chosen_from_the_list_completes_the_address():
    picker = read_address_picker(form(province_code="75", commune_code="25222", street=" Thôn 2 "))
    assert picker.is_complete
    assert (picker.commune.code, picker.street) == ("25222", "Thôn 2")
    assert picker.full_address == "Thôn 2, Xã Bù Gia Mập, Tỉnh Đồng Nai"


def test_no_commune_is_an_error_on_the_commune_select():
    picker = read_address_picker(form(province_code="75", commune_code="", street="Thôn 2"))
    assert not picker.is_complete
    assert "commune_code" in picker.errors


def test_show_communes_after_changing_the_province_saves_nothing():
    picker = read_address_picker(form(province_code="79", commune_code="25222", refresh="1"))
    assert picker.refresh and not picker.is_complete
    assert picker.province_code == "79"
    assert picker.commune is None
    assert {unit.province_code for unit in picker.communes} == {"79"}


def test_enter_in_the_street_box_of_a_filled_form_saves_rather_than_refreshes():
    # Enter presses the first submit button, which is "Show communes".
    picker = read_address_picker(form(province_code="75", commune_code="25222", street="Thôn 2", refresh="1"))
    assert picker.is_complete


def test_an_old_address_fills_the_commune_and_street():
    picker = read_address_picker(
        form(province_code="75", commune_code="", old_address="Ấp 3, xã Lộc Thái, huyện Lộc Ninh")
    )
    assert picker.is_complete
    assert picker.full_address == "Ấp 3, Xã Lộc Ninh, Tỉnh Đồng Nai"
    assert picker.match.status == "matched"


def test_an_ambiguous_old_address_asks_to_choose_then_takes_the_choice():
    asked = read_address_picker(form(province_code="75", old_address="xã Tân Lập"))
    assert not asked.is_complete
    assert asked.match.status == "ambiguous"
    assert "candidate" in asked.errors

    lam_dong = next(unit for unit in asked.match.candidates if unit.province_name == "Lâm Đồng")
    chosen = read_address_picker(form(province_code="75", old_address="xã Tân Lập", candidate=lam_dong.code))
    assert chosen.is_complete
    assert chosen.commune == lam_dong
    assert chosen.province_code == "68"


def test_an_unknown_old_address_is_an_error_unless_a_commune_was_chosen():
    lost = read_address_picker(form(province_code="75", old_address="qwerty zxcv"))
    assert "old_address" in lost.errors and not lost.is_complete
    chosen = read_address_picker(form(province_code="75", commune_code="25264", old_address="qwerty zxcv"))
    assert chosen.is_complete and chosen.commune.name == "Xã Phú Riềng"


def test_a_too_long_street_is_refused():
    picker = read_address_picker(form(province_code="75", commune_code="25264", street="x" * 201))
    assert "street" in picker.errors and not picker.is_complete


def test_a_too_long_old_address_is_an_error_on_its_box():
    picker = read_address_picker(form(province_code="75", old_address="xã " * 200))
    assert "old_address" in picker.errors and not picker.is_complete
