"""Prices in whole đồng: volume tiers, line totals and delivery fees.

VND has no minor unit. A line total is price per kg × kg, rounded to the nearest
đồng with halves going up (ROUND_HALF_UP), as a Vietnamese invoice would: 12.345 kg
at 250.001 ₫ is 3.086.262,345 ₫ → 3.086.262 ₫.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from core.errors import ValidationError
from core.geo.services import get_province
from market.messages import (
    ENTER_WHOLE_DONG,
    FEE_INVALID,
    FEE_WHOLE_DONG,
    LARGER_QUANTITY_LOWER_PRICE,
    NOT_A_PROVINCE_CODE,
    PRICE_BOUNDS,
    PRICE_OUT_OF_RANGE,
    PROVINCE_UNKNOWN,
    TIER_NEEDS_OWN_MINIMUM,
    TIERS_AT_MOST,
    TIERS_NOT_CHEAPER,
    TIERS_SAME_START,
    TOO_MANY_TIERS,
)
from market.quantities import GRAMS_PER_KG, grams_to_kg, parse_kg

MAX_PRICE = 1_000_000_000  # đồng per kg: far above any produce, stops typing slips with extra zeros
MAX_AMOUNT = (
    10**12
)  # đồng: the most any amount or price filter read from a request may be (the database's integers hold it)
MAX_TIERS = 5


def parse_price(value: object, field: str = "price_per_kg") -> int:
    """A price in whole đồng (no decimals), more than zero."""
    text = str(value).strip().replace(".", "").replace(",", "").replace(" ", "") if isinstance(value, str) else value
    if isinstance(value, bool) or not isinstance(text, (int, str)) or not (str(text).isascii() and str(text).isdigit()):
        raise ValidationError(ENTER_WHOLE_DONG, errors={field: [ENTER_WHOLE_DONG]})
    # Thousands of digits are out of range anyway (and too many for int()).
    price = int(text) if len(str(text).lstrip("0")) <= len(str(MAX_PRICE)) else MAX_PRICE + 1
    if not 0 < price <= MAX_PRICE:
        raise ValidationError(PRICE_OUT_OF_RANGE, errors={field: [PRICE_BOUNDS]})
    return price


def clean_tiers(raw: list[dict] | None, *, base_price: int, product: str | None = None) -> list[dict]:
    """Volume prices as stored: ascending by minimum quantity (kg text), each cheaper than the one before."""
    tiers = []
    for index, tier in enumerate(raw or []):
        field = f"price_tiers.{index}"
        grams = parse_kg(tier.get("min_quantity"), f"{field}.min_quantity", product=product)
        price = parse_price(tier.get("price_per_kg"), f"{field}.price_per_kg")
        tiers.append((grams, price))
    if len(tiers) > MAX_TIERS:
        raise ValidationError(TOO_MANY_TIERS, errors={"price_tiers": [TIERS_AT_MOST(count=MAX_TIERS)]})
    tiers.sort()
    previous = base_price
    for index, (grams, price) in enumerate(tiers):
        if index and grams == tiers[index - 1][0]:
            raise ValidationError(TIERS_SAME_START, errors={"price_tiers": [TIER_NEEDS_OWN_MINIMUM]})
        if price >= previous:
            raise ValidationError(TIERS_NOT_CHEAPER, errors={"price_tiers": [LARGER_QUANTITY_LOWER_PRICE]})
        previous = price
    return [{"min_quantity": str(grams_to_kg(grams)), "price_per_kg": price} for grams, price in tiers]


def unit_price(base_price: int, tiers: list[dict], quantity_g: int) -> int:
    """The price per kg for ``quantity_g``: the tier with the largest minimum it reaches, else the base price."""
    price = base_price
    for tier in tiers or []:
        if quantity_g >= int(Decimal(tier["min_quantity"]) * GRAMS_PER_KG):
            price = int(tier["price_per_kg"])
    return price


def line_total(price_per_kg: int, quantity_g: int) -> int:
    """Price × quantity in whole đồng, halves rounded up (ROUND_HALF_UP)."""
    exact = Decimal(price_per_kg) * Decimal(quantity_g) / GRAMS_PER_KG
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def delivery_fee(fees_by_listing: list[dict[str, int]], province_code: str) -> int | None:
    """One trip per order: the highest fee among its listings for the province; None if one does not deliver there."""
    fees = [fees.get(province_code) for fees in fees_by_listing]
    if any(fee is None for fee in fees):
        return None
    return max(int(fee) for fee in fees) if fees else 0


def clean_delivery_fees(raw: dict | None) -> dict[str, int]:
    """{"75": 50000}: province code (2 digits) → fee in whole đồng (0 for free delivery)."""
    cleaned: dict[str, int] = {}
    for code, fee in (raw or {}).items():
        text = str(code).strip()
        if get_province(text) is None:
            raise ValidationError(PROVINCE_UNKNOWN, errors={"delivery_fees": [NOT_A_PROVINCE_CODE(code=repr(code))]})
        if isinstance(fee, bool) or not isinstance(fee, int) or not 0 <= fee <= MAX_PRICE:
            raise ValidationError(FEE_INVALID, errors={"delivery_fees": [FEE_WHOLE_DONG]})
        cleaned[get_province(text).code] = fee
    return cleaned
