"""Kilograms as typed, whole grams as stored."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import ValidationError
from market.quantities import grams_to_kg, parse_kg


def test_kilograms_are_read_the_vietnamese_way_and_kept_as_grams():
    assert parse_kg("12,5", product="cashew_kernels") == 12_500
    assert parse_kg("1.250", product="raw_cashew_nuts") == 1_250_000  # a dot before three digits groups thousands
    assert parse_kg(0.25, product="black_pepper") == 250
    assert parse_kg("0,001", product="black_pepper") == 1


def test_bulk_forms_trade_in_whole_kilograms():
    with pytest.raises(ValidationError, match="Whole kilograms"):
        parse_kg("12,5", product="raw_cashew_nuts")
    with pytest.raises(ValidationError, match="3 decimals"):
        parse_kg("0,0005", product="black_pepper")


def test_nothing_negative_zero_or_absurd():
    for bad in ("0", "-1", "", "abc", None, "200000000"):
        with pytest.raises(ValidationError):
            parse_kg(bad)


def test_grams_read_back_as_plain_kilograms():
    assert grams_to_kg(12_500) == Decimal("12.5") and str(grams_to_kg(12_000)) == "12"
    assert str(grams_to_kg(1)) == "0.001" and str(grams_to_kg(0)) == "0"
