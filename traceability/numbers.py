"""Reading numbers the way people in Vietnam type them: "1.250,5" kg, "2,5" ha, and machine "1250.5" too."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f_]")
# A Vietnamese thousands group without decimals: "1.250", "12.500.000".
_VI_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


def parse_decimal(value: object, *, locale: str = "vi") -> Decimal | None:
    """The number in ``value``, or None when it is not one.

    With both separators the last one is the decimal mark ("1.250,5" and "1,250.5"
    are both 1250.5). A lone comma is a decimal mark ("2,5"); several commas group
    thousands. Dots alone are a decimal mark ("2.5"), except that in Vietnamese a
    dot before exactly three digits groups thousands ("1.250" is 1250, as written
    on a weighing slip); give ``locale="en"`` to read "1.250" as 1.25.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        value = repr(value)
    text = _SPACES.sub("", str(value))
    if not text:
        return None
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        text = text.replace(grouping, "").replace(decimal_mark, ".")
    elif "," in text:
        if text.count(",") == 1:
            text = text.replace(",", ".")
        elif _VI_GROUPED.match(text.replace(",", ".")):
            text = text.replace(",", "")
        else:
            return None
    elif "." in text:
        if _VI_GROUPED.match(text) and (locale == "vi" or text.count(".") > 1):
            text = text.replace(".", "")
        elif text.count(".") > 1:
            return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None
