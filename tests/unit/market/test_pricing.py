"""Prices in whole đồng: volume tiers, line totals rounded half up, delivery fees by province."""

from __future__ import annotations

import pytest

from core.errors import ValidationError
from market.pricing import clean_delivery_fees, clean_tiers, delivery_fee, line_total, parse_price, unit_price


def test_line_totals_round_to_whole_dong_with_halves_going_up():
    assert line_total(250_001, 12_345) == 3_086_262  # 3 086 262.345 ₫
    assert line_total(3, 500) == 2  # 1.5 ₫ → 2 ₫
    assert line_total(1, 499) == 0  # 0.499 ₫ → 0 ₫
    assert line_total(35_000, 120_000) == 4_200_000


def test_the_largest_tier_reached_sets_the_price():
    tiers = [{"min_quantity": "100", "price_per_kg": 34_000}, {"min_quantity": "500", "price_per_kg": 33_000}]
    assert unit_price(35_000, tiers, 99_999) == 35_000
    assert unit_price(35_000, tiers, 100_000) == 34_000
    assert unit_price(35_000, tiers, 700_000) == 33_000
    assert unit_price(35_000, [], 700_000) == 35_000


def test_tiers_are_sorted_and_must_get_cheaper():
    raw = [{"min_quantity": "500", "price_per_kg": 33_000}, {"min_quantity": "100", "price_per_kg": 34_000}]
    assert clean_tiers(raw, base_price=35_000) == [
        {"min_quantity": "100", "price_per_kg": 34_000},
        {"min_quantity": "500", "price_per_kg": 33_000},
    ]
    with pytest.raises(ValidationError):
        clean_tiers([{"min_quantity": "100", "price_per_kg": 35_000}], base_price=35_000)
    with pytest.raises(ValidationError):
        clean_tiers(
            [{"min_quantity": "100", "price_per_kg": 30_000}, {"min_quantity": "100", "price_per_kg": 29_000}],
            base_price=35_000,
        )


def test_prices_are_whole_dong_typed_the_vietnamese_way():
    assert parse_price("250.000") == 250_000
    assert parse_price(18_000) == 18_000
    for bad in ("12,5 đồng", 0, -5, True, "abc", 2_000_000_000):
        with pytest.raises(ValidationError):
            parse_price(bad)


def test_one_delivery_fee_per_order_and_none_where_a_seller_does_not_deliver():
    assert delivery_fee([{"75": 30_000}, {"75": 50_000, "79": 200_000}], "75") == 50_000
    assert delivery_fee([{"75": 30_000}, {"79": 200_000}], "79") is None
    assert clean_delivery_fees({"75": 0, 79: 250_000}) == {"75": 0, "79": 250_000}
    with pytest.raises(ValidationError):
        clean_delivery_fees({"99": 1000})
    with pytest.raises(ValidationError):
        clean_delivery_fees({"75": -1})
