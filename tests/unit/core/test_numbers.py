"""Numbers as the API sends them and as people type them into Vietnamese and English pages."""

from decimal import Decimal

import pytest

from core.numbers import API, parse_decimal


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1.250,5", Decimal("1250.5")),
        ("1,250.5", Decimal("1250.5")),
        ("2,5", Decimal("2.5")),
        ("2.5", Decimal("2.5")),
        ("1.250", Decimal("1250")),
        ("12.500", Decimal("12500")),
        ("12.500.000", Decimal("12500000")),
        ("1,250,000", Decimal("1250000")),
        (" 3 ", Decimal("3")),
        ("1 250,5", Decimal("1250.5")),
        ("1,250", Decimal("1.25")),
        (7, Decimal("7")),
        (0.1, Decimal("0.1")),
        (Decimal("4.25"), Decimal("4.25")),
    ],
)
def test_vietnamese_pages_group_with_dots_and_mark_decimals_with_commas(typed, number):
    assert parse_decimal(typed, locale="vi") == number


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1,250", Decimal("1250")),
        ("1,250.5", Decimal("1250.5")),
        ("1.250", Decimal("1.25")),
        ("12.500", Decimal("12.5")),
        ("2,5", Decimal("2.5")),  # cannot group thousands: a decimal comma
        ("1.250,5", Decimal("1250.5")),
    ],
)
def test_english_pages_group_with_commas_and_mark_decimals_with_dots(typed, number):
    assert parse_decimal(typed, locale="en") == number


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize(
    ("typed", "number"), [("0.500", Decimal("0.5")), ("0,500", Decimal("0.5")), ("-0.250", Decimal("-0.25"))]
)
def test_zero_point_something_is_never_read_as_thousands(locale, typed, number):
    assert parse_decimal(typed, locale=locale) == number


@pytest.mark.parametrize(
    ("sent", "number"),
    [
        ("12.500", Decimal("12.5")),
        ("0.500", Decimal("0.5")),
        ("1250", Decimal("1250")),
        (" 7.25 ", Decimal("7.25")),
        (12.5, Decimal("12.5")),
        (3, Decimal("3")),
    ],
)
def test_api_text_uses_a_dot_as_the_decimal_mark(sent, number):
    assert parse_decimal(sent, locale=API) == number


@pytest.mark.parametrize("sent", ["2,5", "1.250,5", "1,250", "1 250", "1.250.000", "1e3", "", "abc", None, True])
def test_api_text_refuses_commas_groupings_and_exponents(sent):
    assert parse_decimal(sent, locale=API) is None


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "abc",
        "1.2.3",
        "1,2,3",
        None,
        True,
        "nan",
        "inf",
        "1e",
        "1e25",
        "1.25,0.5",
        "12,50.000",
        float("inf"),
        float("nan"),
    ],
)
@pytest.mark.parametrize("locale", ["vi", "en"])
def test_what_is_not_a_number(typed, locale):
    assert parse_decimal(typed, locale=locale) is None


def test_a_huge_json_number_is_still_a_number_for_the_caller_to_bound():
    assert parse_decimal(1e25, locale=API) == Decimal("1E+25")
