"""The payout ledger's arithmetic in whole đồng: the platform's fee of a sale, and a refund's share of each part.

An order's parts are its lines and its delivery fee. A refund is split over the
parts in proportion to what each still has unrefunded, by the largest remainder
method, so that the shares add up to the refund exactly and no part gives back
more than it has left. The fee goes back with the money: after each refund a
part has given back the fee of everything refunded of it so far (rounded half
up), less what earlier refunds gave back, so that refunding a part in full
gives back its whole fee, to the đồng, however many refunds it took.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def platform_fee(gross: int, percent: Decimal) -> int:
    """The platform's ``percent`` of ``gross`` đồng, rounded to the đồng with halves up."""
    return _half_up(Decimal(gross) * percent / 100)


def split(amount: int, weights: list[int]) -> list[int]:
    """``amount`` split in proportion to ``weights``: whole đồng adding up to ``amount``, none above its weight.

    The đồng left after rounding every share down go to the largest remainders (the earlier part on a tie).
    """
    total = sum(weights)
    if amount < 0 or any(w < 0 for w in weights) or amount > total:
        raise ValueError(f"Cannot split {amount} over {weights}.")
    if amount == 0:
        return [0] * len(weights)
    shares = [amount * w // total for w in weights]
    remainders = [amount * w % total for w in weights]
    left = amount - sum(shares)
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        shares[index] += 1
    return shares


@dataclass(frozen=True)
class Part:
    """One line or the delivery of an order, as the ledger holds it: sold, fee, and what refunds took back so far."""

    gross: int
    fee: int
    refunded: int = 0
    fee_refunded: int = 0


def refund_shares(amount: int, parts: list[Part]) -> list[tuple[int, int]]:
    """Each part's (money, fee) given back by a refund of ``amount``, both positive."""
    shares = split(amount, [part.gross - part.refunded for part in parts])
    result = []
    for part, share in zip(parts, shares, strict=True):
        if part.gross == 0:
            result.append((share, 0))
            continue
        target = _half_up(Decimal(part.fee) * (part.refunded + share) / part.gross)
        result.append((share, target - part.fee_refunded))
    return result
