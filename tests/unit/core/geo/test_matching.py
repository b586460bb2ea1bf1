"""Old, district-based addresses matched to the communes of 1 July 2025 (real converter data)."""

from __future__ import annotations

import pytest

from core.errors import ValidationError
from core.geo.services import match_old_address


def codes(units):
    return [unit.code for unit in units]


@pytest.mark.parametrize(
    "typed",
    [
        "xã Lộc Thái, huyện Lộc Ninh, Bình Phước",
        "Xã Lộc Thái, Huyện Lộc Ninh, Tỉnh Bình Phước",
        "xa Loc Thai, huyen Loc Ninh, Binh Phuoc",
        "Lộc Thái, Lộc Ninh",
        "xã Lộc Thái",
    ],
)
def test_loc_thai_is_now_xa_loc_ninh_of_dong_nai(typed):
    match = match_old_address(typed)
    assert match.status == "matched"
    assert (match.commune.code, match.commune.name, match.commune.province_code) == ("25270", "Xã Lộc Ninh", "75")
    assert match.candidates == []


@pytest.mark.parametrize(
    "typed",
    [
        "phường Tân Phú, thành phố Đồng Xoài",
        "phường Tân Phú, thành phố Đồng Xoài, tỉnh Bình Phước",
        "P. Tân Phú, TP Đồng Xoài",
        "Phuong Tan Phu, TP Dong Xoai",
    ],
)
def test_the_old_dong_xoai_centre_is_now_phuong_binh_phuoc(typed):
    match = match_old_address(typed)
    assert match.status == "matched"
    assert (match.commune.code, match.commune.name) == ("25195", "Phường Bình Phước")


def test_the_street_part_comes_back_separately():
    match = match_old_address("Ấp 3, xã Lộc Thái, huyện Lộc Ninh, tỉnh Bình Phước")
    assert match.commune.code == "25270"
    assert match.street == "Ấp 3"
    without_province = match_old_address("12 Trần Hưng Đạo, phường Tân Phú, thành phố Đồng Xoài")
    assert (without_province.commune.code, without_province.street) == ("25195", "12 Trần Hưng Đạo")


def test_a_commune_name_found_in_many_old_districts_asks_the_user_to_choose():
    match = match_old_address("xã Tân Lập")
    assert match.status == "ambiguous"
    assert match.commune is None
    assert len(match.candidates) > 10
    # Đồng Nai first: the old Tân Lập of huyện Đồng Phú is now Xã Đồng Phú.
    assert (match.candidates[0].code, match.candidates[0].name) == ("25363", "Xã Đồng Phú")
    provinces = {unit.province_name for unit in match.candidates}
    assert {"Đồng Nai", "Lâm Đồng", "Tây Ninh", "Quảng Trị"} <= provinces
    # "xã" was written: the old phường Tân Lập (now Phường Tân Lập, Đắk Lắk) is left out.
    assert "Phường Tân Lập" not in {unit.name for unit in match.candidates}
    assert len(set(codes(match.candidates))) == len(match.candidates)


def test_giving_the_district_settles_the_ambiguity():
    match = match_old_address("xã Tân Lập, huyện Đồng Phú")
    assert (match.status, match.commune.name) == ("matched", "Xã Đồng Phú")


def test_phuong_1_exists_in_many_cities():
    match = match_old_address("phường 1")
    assert match.status == "ambiguous"
    assert len({unit.province_code for unit in match.candidates}) > 5
    assert all(unit.name.startswith("Phường") for unit in match.candidates)


def test_a_district_alone_lists_its_new_communes_instead_of_guessing_the_old_town():
    match = match_old_address("huyện Lộc Ninh, Bình Phước")
    assert match.status == "ambiguous"
    assert {"Xã Lộc Ninh", "Xã Lộc Hưng", "Xã Lộc Thạnh"} <= {unit.name for unit in match.candidates}
    assert {unit.province_code for unit in match.candidates} == {"75"}


def test_a_new_name_typed_in_the_old_box_is_still_found():
    assert match_old_address("Phường Bình Phước").commune.code == "25195"
    assert match_old_address("Xã Lộc Ninh, Tỉnh Đồng Nai").commune.code == "25270"


def test_nonsense_is_not_found():
    match = match_old_address("qwerty zxcv")
    assert (match.status, match.commune, match.candidates) == ("not_found", None, [])


@pytest.mark.parametrize("typed", ["", "   ", None, "x" * 301])
def test_empty_or_huge_input_is_refused(typed):
    with pytest.raises(ValidationError) as error:
        match_old_address(typed)
    assert "address" in error.value.errors
