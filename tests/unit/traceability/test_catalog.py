"""The commodity catalog: products, grades, conversion bands, steps and measurements."""

from decimal import Decimal

import pytest

from core.errors import ValidationError
from traceability import catalog


def test_every_product_belongs_to_a_commodity():
    assert catalog.COMMODITIES == ("cashew", "pepper", "rubber")
    for code, form in catalog.PRODUCTS.items():
        assert form.code == code
        assert form.commodity in catalog.COMMODITIES
    harvested = {code for code, form in catalog.PRODUCTS.items() if form.harvested}
    assert harvested == {"raw_cashew_nuts", "fresh_pepper", "field_latex", "cup_lump"}
    assert catalog.product("field_latex").needs_drc


def test_unknown_product_is_a_field_error():
    with pytest.raises(ValidationError) as caught:
        catalog.product("durian")
    assert "product" in caught.value.errors


@pytest.mark.parametrize(
    ("product", "typed", "grade"),
    [
        ("cashew_kernels", "w320", "W320"),
        ("black_pepper", "500", "500GL"),
        ("black_pepper", "550 g/l", "550GL"),
        ("svr", "SVR10", "10"),
        ("svr", "svr 3l", "3L"),
        ("rss", "RSS 3", "RSS3"),
        ("rss", "1", "RSS1"),
        ("raw_cashew_nuts", "KOR 48", "KOR 48"),  # free text where the form has no grade list
        ("raw_cashew_nuts", "", None),
    ],
)
def test_grades_are_normalized_per_product(product, typed, grade):
    assert catalog.normalize_grade(product, typed) == grade


def test_a_grade_of_another_product_is_refused():
    with pytest.raises(ValidationError) as caught:
        catalog.normalize_grade("cashew_kernels", "500GL")
    assert "grade" in caught.value.errors


def test_conversion_bands_follow_the_domain_notes():
    assert catalog.conversion_band("raw_cashew_nuts", "cashew_kernels") == (Decimal("0.20"), Decimal("0.30"))
    assert catalog.conversion_band("fresh_pepper", "black_pepper") == (Decimal("0.28"), Decimal("0.38"))
    assert catalog.conversion_band("field_latex", "svr") == (Decimal("0.90"), Decimal("1.02"))
    assert catalog.conversion_band("cashew_kernels", "raw_cashew_nuts") is None
    assert catalog.conversion_band("svr", "svr") is None


def test_dry_basis_and_units():
    assert catalog.dry_basis(Decimal("1000"), Decimal("32.5")) == Decimal("325")
    assert catalog.to_kg(Decimal("1.5"), "t") == Decimal("1500")
    assert catalog.to_kg(Decimal("80"), "kg") == Decimal("80")
    with pytest.raises(ValidationError):
        catalog.to_kg(Decimal(1), "lb")


def test_biz_steps_cbv_words_stay_ours_become_uris():
    assert catalog.is_known_biz_step("commissioning")
    assert catalog.is_known_biz_step("drying")
    assert not catalog.is_known_biz_step("harvesting")  # CBV has no such word; harvest is commissioning
    assert not catalog.is_known_biz_step("transforming")
    assert catalog.biz_step_uri("shipping", "https://nongsan.vn") == "shipping"
    assert catalog.biz_step_uri("drying", "https://nongsan.vn/") == "https://nongsan.vn/voc/bizstep/drying"
    assert not catalog.CBV_BIZ_STEPS & catalog.OWN_BIZ_STEPS
    assert {"active", "in_transit", "recalled", "destroyed"} <= catalog.DISPOSITIONS


def test_measurements_are_normalized_to_decimal_strings():
    result = catalog.validate_measurements(
        [
            {"type": "moisture", "value": "10,50"},
            {"type": "density", "value": 550, "unit": "g_per_l"},
            {"type": "drc", "value": 32.5},
        ]
    )
    assert result == [
        {"type": "moisture", "value": "10.5", "unit": "percent"},
        {"type": "density", "value": "550", "unit": "g_per_l"},
        {"type": "drc", "value": "32.5", "unit": "percent"},
    ]


def test_measurement_errors_name_the_item_and_field():
    with pytest.raises(ValidationError) as caught:
        catalog.validate_measurements(
            [
                {"type": "moisture", "value": "10"},
                {"type": "moisture", "value": "140"},
                {"type": "colour", "value": "1"},
                {"type": "kor", "value": "x"},
            ]
        )
    errors = caught.value.errors
    assert set(errors) == {"measurements.1.value", "measurements.2.type", "measurements.3.value"}


def test_measurement_with_a_wrong_unit_is_refused():
    with pytest.raises(ValidationError) as caught:
        catalog.validate_measurements([{"type": "density", "value": "500", "unit": "percent"}])
    assert "measurements.0.unit" in caught.value.errors


def test_every_grade_has_a_label_people_read():
    w320 = catalog.grade_label("cashew_kernels", "W320")
    assert w320.code == "grade_white_wholes" and w320.params == {"count": 320}
    assert str(w320) == "White whole kernels, 320 per pound"
    assert str(catalog.grade_label("cashew_kernels", "SW240")) == "Scorched whole kernels, 240 per pound"
    assert str(catalog.grade_label("cashew_kernels", "LWP")) == "Large white pieces"
    assert str(catalog.grade_label("black_pepper", "500GL")) == "Density 500 g/l"
    assert str(catalog.grade_label("svr", "10")) == "SVR 10"
    assert str(catalog.grade_label("rss", "RSS1")) == "RSS 1"
    assert str(catalog.grade_label("raw_cashew_nuts", "loại 1")) == "loại 1"  # free text is its own label
    assert catalog.grade_label("cashew_kernels", None) is None
    for form in catalog.PRODUCTS.values():
        for grade in form.grades:
            assert catalog.grade_label(form.code, grade).code != "grade" or form.code in ("svr", "rss")
