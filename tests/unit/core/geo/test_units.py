"""The administrative units of 1 July 2025, from vietnam-provinces, joined by name to the converter's."""

from __future__ import annotations

from vietnam_address_converter.data import DEFAULT_DATA

from core.geo import services
from core.geo.units import commune_by_name, normalize_code, province_by_name


def test_34_provinces_and_dong_nai_is_75():
    provinces = services.list_provinces()
    assert len(provinces) == 34
    assert services.get_province(75).name == "Đồng Nai"
    assert services.get_province("75") == services.get_province(" 075 ")


def test_dong_nai_has_95_communes_including_the_former_binh_phuoc_ones():
    communes = services.list_communes("75")
    assert len(communes) == 95
    names = {unit.code: unit.name for unit in communes}
    assert names["25222"] == "Xã Bù Gia Mập"
    assert names["25270"] == "Xã Lộc Ninh"
    assert names["25264"] == "Xã Phú Riềng"
    assert names["25195"] == "Phường Bình Phước"
    assert names["25210"] == "Phường Đồng Xoài"
    assert all(unit.province_code == "75" and unit.province_name == "Đồng Nai" for unit in communes)


def test_demo_communes_exist_in_dong_nai():
    for code in services.DEMO_COMMUNES.values():
        assert services.get_commune(code).province_code == "75"


def test_codes_keep_their_leading_zeros():
    commune = services.get_commune(70)
    assert commune.code == "00070"
    assert commune.name == "Phường Hoàn Kiếm"
    assert commune.province_code == "01"
    assert commune.codename == "phuong_hoan_kiem"


def test_names_are_clean_even_where_the_package_is_not():
    # The package spells this one with a double space.
    assert "Phường Tân Lập" in {unit.name for unit in services.list_communes("66")}


def test_unknown_codes_are_none():
    assert services.get_commune("99999") is None
    assert services.get_commune("abc") is None
    assert services.get_province("") is None
    assert normalize_code("٧٥", 2) is None  # Arabic-Indic digits are not a GSO code


def test_communes_are_listed_alphabetically_by_their_name():
    names = [unit.name for unit in services.list_communes("75")]
    assert names.index("Xã Lộc Ninh") < names.index("Xã Lộc Thành") < names.index("Xã Lộc Thạnh")
    assert names.index("Xã Dầu Giây") < names.index("Xã Đa Kia")


def test_every_new_ward_of_the_converter_joins_to_exactly_one_commune():
    """The converter's own codes (Đồng Nai is "23" there) never leak: the join is by name."""
    joined = {}
    for ward in DEFAULT_DATA["newWards"].values():
        province = province_by_name(DEFAULT_DATA["newProvinces"][ward["parent_code"]]["name_with_type"])
        commune = commune_by_name(province.code, ward["name_with_type"])
        assert commune is not None, ward["name_with_type"]
        joined.setdefault(commune.code, ward["name_with_type"])
    assert len(joined) == len(DEFAULT_DATA["newWards"]) == 3321


def test_names_that_fold_alike_stay_apart():
    assert commune_by_name("75", "Xã Lộc Thành").code == "25294"
    assert commune_by_name("75", "Xã Lộc Thạnh").code == "25280"
    assert province_by_name("Tỉnh Đồng Nai").code == "75"
    assert province_by_name("Thành phố Hồ Chí Minh").code == "79"
