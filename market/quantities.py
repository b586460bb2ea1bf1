"""Kilograms as people type them, and the whole grams the stock tables keep.

Bulk forms (raw nuts, latex, cup lump, block rubber, sheets) trade in whole
kilograms; kernels and pepper are also sold in small bags, so grams are allowed.

Text is read the way it reached us (``core.numbers.request_locale``): in the
JSON API with a dot as the decimal mark only ("1.250" is 1.25 kg), on a page in the
page's language ("1.250,5" in Vietnamese, "1,250.5" in English). Text the market
wrote itself (the cart in the session) is machine text: pass ``locale=API``.
"""

from __future__ import annotations

from decimal import Decimal

from core.errors import ValidationError
from core.numbers import parse_decimal, request_locale
from market.messages import GRAMS_AT_MOST, QUANTITY_MISSING, QUANTITY_NOT_POSITIVE, QUANTITY_TOO_LARGE, WHOLE_KG_ONLY

GRAMS_PER_KG = 1000
WHOLE_KG_PRODUCTS = frozenset({"raw_cashew_nuts", "field_latex", "cup_lump", "svr", "rss", "fresh_pepper"})
MAX_KG = Decimal("100000000")  # 100 000 t: far above a season, below any column limit


def grams_to_kg(grams: int) -> Decimal:
    """12500 → Decimal('12.5'), 12000 → Decimal('12'); exact, never in exponent form."""
    value = Decimal(grams).scaleb(-3)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def kg_step(product: str | None) -> Decimal:
    return Decimal(1) if product in WHOLE_KG_PRODUCTS else Decimal("0.001")


def parse_kg(
    value: object,
    field: str = "quantity",
    *,
    product: str | None = None,
    allow_zero: bool = False,
    locale: str | None = None,
) -> int:
    """A quantity in kg (12.5, or text read in ``locale``, by default the request's) as whole grams; a field error when
    this product does not allow it."""
    number = parse_decimal(value, locale=locale or request_locale())
    if number is None:
        raise ValidationError(QUANTITY_MISSING, errors={field: [QUANTITY_MISSING]})
    if number < 0 or (number == 0 and not allow_zero):
        raise ValidationError(QUANTITY_NOT_POSITIVE, errors={field: [QUANTITY_NOT_POSITIVE]})
    if number > MAX_KG:
        raise ValidationError(QUANTITY_TOO_LARGE, errors={field: [QUANTITY_TOO_LARGE]})
    step = kg_step(product)
    if number % step:
        message = WHOLE_KG_ONLY if step == 1 else GRAMS_AT_MOST
        raise ValidationError(message, errors={field: [message]})
    return int(number * GRAMS_PER_KG)
