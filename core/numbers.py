"""Reading numbers the way they reach us: JSON API text with a dot, and forms typed in Vietnamese or English.

Three ways of reading text (numbers that are already numbers pass as they are):

- ``API`` (JSON API values): digits with a dot as the decimal mark and nothing
  else, so "12.500" is twelve and a half and "1,5" or "1 250" are refused.
- ``"vi"`` (pages in Vietnamese): "." groups thousands and "," is the decimal mark,
  "1.250,5" kg as written on a weighing slip.
- ``"en"`` (pages in English): "," groups thousands and "." is the decimal mark.

A form is forgiving where the text can mean one thing only: with both marks the
last one is the decimal mark ("1,250.5" on a Vietnamese page is still 1250.5); a
lone mark that cannot group thousands is the decimal mark ("2.5" in Vietnamese,
"2,5" in English); and "0.500" or "0,500" is never five hundred.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

API = "api"
LOCALES = ("vi", "en")
GROUPING = {"vi": ".", "en": ","}

_SPACES = re.compile(r"[\s\u00a0\u202f_]")
_API_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_FORM_TEXT = re.compile(r"^[+-]?[\d.,]*\d[\d.,]*$")


def _grouped(digits: str, mark: str) -> bool:
    """Whether ``digits`` (an integer part) is grouped by threes with ``mark``: "1.250", "12.500.000"."""
    return re.fullmatch(rf"[+-]?\d{{1,3}}(?:{re.escape(mark)}\d{{3}})+", digits) is not None


def _form_text(text: str, locale: str) -> str | None:
    """Form text as plain "1250.5" text, or None when it is not a number in ``locale``."""
    text = _SPACES.sub("", text)
    if not _FORM_TEXT.match(text):
        return None
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        whole, _, fraction = text.rpartition(decimal_mark)
        if grouping in fraction or not _grouped(whole, grouping):
            return None
        return whole.replace(grouping, "") + "." + fraction
    mark = "," if "," in text else "." if "." in text else None
    if mark is None:
        return text
    if text.count(mark) > 1:
        return text.replace(mark, "") if _grouped(text, mark) else None
    # One mark: it groups thousands only where the page's language groups with it, before exactly three
    # digits, after a whole part that does not start with 0 ("0.500" is half, never five hundred).
    if mark == GROUPING[locale] and re.fullmatch(rf"[+-]?[1-9]\d{{0,2}}{re.escape(mark)}\d{{3}}", text):
        return text.replace(mark, "")
    return text.replace(mark, ".")


def parse_decimal(value: object, *, locale: str = "vi") -> Decimal | None:
    """The number in ``value``, or None when it is not one.

    ``locale`` says how text is read: ``API`` for JSON API values, "vi" or "en" for
    what a person typed into a page in that language (see the module's docstring).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value))  # "1e+25", "inf" and "nan" included: the caller checks the size
        return number if number.is_finite() else None
    text = str(value).strip()
    if locale == API:
        plain = text if _API_TEXT.match(text) else None
    else:
        plain = _form_text(text, locale if locale in LOCALES else "vi")
    if not plain:
        return None
    try:
        number = Decimal(plain)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def request_locale() -> str:
    """How text numbers reaching a service in this request are read.

    JSON API values (``/api/...``) strictly; a page's form in the page's language;
    outside a request (imports run by hand, the demo seed) in Vietnamese.
    """
    from flask import has_request_context, request
    from flask_babel import get_locale

    if not has_request_context():
        return "vi"
    if request.path == "/api" or request.path.startswith("/api/"):
        return API
    language = str(get_locale() or "vi").split("_")[0]
    return language if language in LOCALES else "vi"
