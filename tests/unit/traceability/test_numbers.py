"""Numbers typed with Vietnamese separators."""

from decimal import Decimal

import pytest

from traceability.numbers import parse_decimal


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1.250,5", Decimal("1250.5")),
        ("1,250.5", Decimal("1250.5")),
        ("2,5", Decimal("2.5")),
        ("2.5", Decimal("2.5")),
        ("1.250", Decimal("1250")),
        ("12.500.000", Decimal("12500000")),
        ("1,250,000", Decimal("1250000")),
        (" 3 ", Decimal("3")),
        ("1 250,5", Decimal("1250.5")),
        (7, Decimal("7")),
        (0.1, Decimal("0.1")),
        (Decimal("4.25"), Decimal("4.25")),
    ],
)
def test_vietnamese_and_plain_numbers(typed, number):
    assert parse_decimal(typed) == number


def test_english_reads_a_lone_dot_as_the_decimal_mark():
    assert parse_decimal("1.250", locale="en") == Decimal("1.25")


@pytest.mark.parametrize("typed", ["", "abc", "1.2.3", "1,2,3", None, True, "nan", "inf", "1e"])
def test_what_is_not_a_number(typed):
    assert parse_decimal(typed) is None
