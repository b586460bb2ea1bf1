"""Services other domains call: validating a submitted commune and formatting an address."""

from __future__ import annotations

import pytest

from core.errors import NotFound, ValidationError
from core.geo import services


def test_require_commune_refuses_an_unknown_code_on_the_commune_field(ctx):
    assert services.require_commune("25270").name == "Xã Lộc Ninh"
    with pytest.raises(ValidationError) as error:
        services.require_commune("12345")
    assert list(error.value.errors) == ["commune_code"]


def test_list_communes_of_an_unknown_province_is_not_found(ctx):
    with pytest.raises(NotFound):
        services.list_communes("00")


def test_format_address_names_the_province_with_its_unit_word(ctx):
    assert services.format_address("25270", "Ấp 3") == "Ấp 3, Xã Lộc Ninh, Tỉnh Đồng Nai"
    assert services.format_address(25195, "") == "Phường Bình Phước, Tỉnh Đồng Nai"
    assert services.format_address("00070", None) == "Phường Hoàn Kiếm, Thành phố Hà Nội"
    with pytest.raises(ValidationError):
        services.format_address("99999", "Ấp 3")


def test_warm_up_in_the_foreground_leaves_matching_fast(ctx):
    services.warm_up(background=False)
    assert services.match_old_address("xã Lộc Thái, huyện Lộc Ninh").commune.code == "25270"
