"""The ledger's arithmetic: fees rounded half up, refunds split exactly, fees given back exactly by a full refund."""

from __future__ import annotations

from decimal import Decimal

import pytest

from market.ledger_shares import Part, platform_fee, refund_shares, split

THREE = Decimal("3")


@pytest.mark.parametrize(
    ("gross", "percent", "fee"),
    [
        (250_000, THREE, 7_500),
        (50, THREE, 2),  # 1.5 goes up
        (49, THREE, 1),  # 1.47
        (16, Decimal("2.5"), 0),  # 0.4
        (20, Decimal("2.5"), 1),  # 0.5 goes up
        (0, THREE, 0),
        (1_234_567, Decimal("0"), 0),
    ],
)
def test_the_fee_is_rounded_to_the_dong_with_halves_up(gross, percent, fee):
    assert platform_fee(gross, percent) == fee


def test_a_split_adds_up_exactly_and_the_largest_remainders_take_the_odd_dong():
    assert split(100, [100, 100, 100]) == [34, 33, 33]
    assert split(1, [333_333, 333_334, 333_333]) == [0, 1, 0]
    assert split(7, [10, 0, 4]) == [5, 0, 2]
    shares = split(99_999, [123_457, 654_321, 11])
    assert sum(shares) == 99_999
    assert all(0 <= s <= w for s, w in zip(shares, [123_457, 654_321, 11], strict=True))


def test_a_split_never_gives_more_than_there_is():
    with pytest.raises(ValueError):
        split(11, [5, 5])
    assert split(10, [5, 5]) == [5, 5]


def test_a_one_dong_refund_over_three_lines_moves_one_dong_and_no_fee():
    parts = [Part(101_111, 3_033), Part(77_777, 2_333), Part(33_333, 1_000)]
    shares = refund_shares(1, parts)
    assert [money for money, _fee in shares] == [1, 0, 0]
    assert sum(fee for _money, fee in shares) == 0


def test_a_partial_then_a_full_refund_give_back_every_dong_and_every_fee_of_odd_lines():
    percent = THREE
    grosses = [101_111, 77_777, 33_333, 15_000]  # three lines and a delivery fee (no fee on delivery)
    fees = [platform_fee(g, percent) for g in grosses[:3]] + [0]
    parts = [Part(g, f) for g, f in zip(grosses, fees, strict=True)]
    first = refund_shares(12_345, parts)
    assert sum(m for m, _f in first) == 12_345
    parts = [Part(p.gross, p.fee, p.refunded + m, p.fee_refunded + f) for p, (m, f) in zip(parts, first, strict=True)]
    rest = sum(p.gross - p.refunded for p in parts)
    second = refund_shares(rest, parts)
    assert sum(m for m, _f in first + second) == sum(grosses)
    assert sum(f for _m, f in first + second) == sum(fees)
    for part, (money, fee) in zip(parts, second, strict=True):
        assert part.refunded + money == part.gross and part.fee_refunded + fee == part.fee


def test_many_small_refunds_never_give_back_a_negative_fee_and_end_on_the_whole_fee():
    parts = [Part(999, 30), Part(1_001, 30), Part(7, 0)]
    given = [0, 0, 0]
    while sum(p.gross - p.refunded for p in parts) > 0:
        shares = refund_shares(min(37, sum(p.gross - p.refunded for p in parts)), parts)
        assert all(f >= 0 for _m, f in shares)
        given = [g + f for g, (_m, f) in zip(given, shares, strict=True)]
        parts = [
            Part(p.gross, p.fee, p.refunded + m, p.fee_refunded + f) for p, (m, f) in zip(parts, shares, strict=True)
        ]
    assert given == [30, 30, 0]
