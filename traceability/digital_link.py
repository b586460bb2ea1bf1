"""GS1 Digital Link URIs of batches: built for QR codes, parsed for the resolver.

A batch with a GTIN is identified on the web as ``<base>/01/<GTIN-14>/10/<lot>``
(GS1 Digital Link URI syntax 1.4): the GTIN is the primary key, the lot (AI 10)
qualifies it, and further qualifiers come in the order the standard fixes for a
GTIN: consumer product variant (22), lot (10), serial (21). Data attributes such
as the harvest date (7007, YYMMDD) or the net weight in kg
(310n, six digits with n decimals) go in the query string.

A batch without a lot number uses its public code as the lot: codes are eight
characters of GS1 character set 82, so they always fit AI (10). A batch without a
GTIN has no Digital Link; its QR code carries the short URL ``<base>/t/<code>``.

Pure functions, no database: the resolver service looks the batch up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import quote, unquote, urlencode

from core.errors import DomainError
from traceability.identifiers import LOT_NUMBER_MAX, gtin_check_digit
from traceability.messages import (
    GTIN_CHECK_DIGIT_IN_LINK,
    GTIN_LENGTH,
    LINK_AI_EMPTY,
    LINK_ATTRIBUTE_FORMAT,
    LINK_EMPTY_VALUE,
    LINK_NOT_A_QUALIFIER,
    LINK_QUALIFIER_ORDER,
    LINK_QUALIFIER_TOO_LONG,
    LINK_QUALIFIERS_IN_PAIRS,
    LINK_STARTS_WITH_GTIN,
)

GS1_VOC = "https://gs1.org/voc/"  # the GS1 Web Vocabulary: link types are its terms
AI_GTIN = "01"
AI_VARIANT = "22"
AI_LOT = "10"
AI_SERIAL = "21"
AI_HARVEST_DATE = "7007"
# Key qualifiers of a GTIN in the only order the standard allows.
GTIN_QUALIFIERS = (AI_VARIANT, AI_LOT, AI_SERIAL)
QUALIFIER_MAX = {AI_VARIANT: 20, AI_LOT: LOT_NUMBER_MAX, AI_SERIAL: 20}
GTIN_LENGTHS = (8, 12, 13, 14)

# GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1).
_CSET82 = re.compile(r"""[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+""")
_DIGITS = re.compile(r"[0-9]+")
_NET_WEIGHT_AI = re.compile(r"310[0-5]")


class DigitalLinkSyntaxError(DomainError):
    """The URI is not a GS1 Digital Link we can read, or its GTIN check digit is wrong (400)."""

    status = 400
    title = "Bad request"
    code = "digital_link_syntax"


@dataclass(frozen=True)
class DigitalLink:
    """What a Digital Link URI says: a GTIN-14, its key qualifiers and its data attributes."""

    gtin: str
    lot: str | None = None
    serial: str | None = None
    variant: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    def uri(self, base_url: str) -> str:
        """The canonical URI: GTIN-14 and the qualifiers, without data attributes."""
        path = f"/{AI_GTIN}/{self.gtin}"
        for ai, value in ((AI_VARIANT, self.variant), (AI_LOT, self.lot), (AI_SERIAL, self.serial)):
            if value is not None:
                path += f"/{ai}/{_encode(value)}"
        return base_url.rstrip("/") + path


def _encode(value: str) -> str:
    # Percent-encode everything but unreserved characters, as the URI syntax asks for
    # the characters of set 82 that have a meaning in URIs ("/", "?", "%", "&" ...).
    return quote(value, safe="")


def fits_lot(text: str | None) -> bool:
    """Whether ``text`` may be used as-is as a GS1 lot number (AI 10)."""
    return bool(text) and len(text) <= LOT_NUMBER_MAX and bool(_CSET82.fullmatch(text))


def lot_for(code: str, lot_number: str | None) -> str | None:
    """The lot a batch is known by in GS1 terms: its lot number, else its public code when that fits AI (10)."""
    if lot_number:
        return lot_number
    return code if fits_lot(code) else None


def trace_url(base_url: str, code: str) -> str:
    """The short public URL of a batch's trace page."""
    return f"{base_url.rstrip('/')}/t/{code}"


def gtin14(text: str) -> str:
    """A GTIN-8/12/13/14 with a correct check digit as GTIN-14; ``DigitalLinkSyntaxError`` otherwise."""
    if not _DIGITS.fullmatch(text or "") or len(text) not in GTIN_LENGTHS:
        raise DigitalLinkSyntaxError(GTIN_LENGTH, errors={"gtin": [GTIN_LENGTH]})
    expected = gtin_check_digit(text[:-1])
    if int(text[-1]) != expected:
        message = GTIN_CHECK_DIGIT_IN_LINK(expected=expected)
        raise DigitalLinkSyntaxError(message, errors={"gtin": [message]})
    return text.zfill(14)


def harvest_attribute(day: date) -> str:
    """AI (7007) harvest date as YYMMDD.

    GS1 also allows a YYMMDDYYMMDD range, but biip (the validator we check our
    links with) cannot read one, so a lot harvested over several days is given by
    its last day, the day its produce was complete.
    """
    return day.strftime("%y%m%d")


def net_weight_attribute(kg: Decimal) -> tuple[str, str] | None:
    """AI (310n) net weight in kg: six digits with ``n`` implied decimals, as many as fit (None when even 0 do not)."""
    value = Decimal(kg)
    if value <= 0:
        return None
    for decimals in range(5, -1, -1):
        scaled = value.scaleb(decimals)
        if scaled < 1_000_000 and scaled == scaled.to_integral_value():
            return f"310{decimals}", f"{int(scaled):06d}"
    for decimals in range(5, -1, -1):  # more decimals than six digits hold: round at the best precision
        scaled = value.scaleb(decimals).to_integral_value()
        if scaled < 1_000_000:
            return f"310{decimals}", f"{int(scaled):06d}"
    return None


def build(
    base_url: str,
    gtin: str,
    lot: str | None,
    *,
    serial: str | None = None,
    harvest_date: date | None = None,
    net_weight_kg: Decimal | None = None,
) -> str:
    """A Digital Link URI for a GTIN and lot, with the harvest date and net weight as data attributes if given."""
    link = DigitalLink(gtin=gtin14(gtin), lot=lot, serial=serial)
    attributes: dict[str, str] = {}
    if harvest_date is not None:
        attributes[AI_HARVEST_DATE] = harvest_attribute(harvest_date)
    if net_weight_kg is not None and (weight := net_weight_attribute(net_weight_kg)):
        attributes[weight[0]] = weight[1]
    uri = link.uri(base_url)
    return f"{uri}?{urlencode(attributes)}" if attributes else uri


def _qualifier(ai: str, raw: str) -> str:
    value = unquote(raw)
    if not value:
        raise DigitalLinkSyntaxError(LINK_AI_EMPTY(ai=ai), errors={ai: [LINK_EMPTY_VALUE]})
    if len(value) > QUALIFIER_MAX[ai] or not _CSET82.fullmatch(value):
        message = LINK_QUALIFIER_TOO_LONG(ai=ai, max=QUALIFIER_MAX[ai])
        raise DigitalLinkSyntaxError(message, errors={ai: [message]})
    return value


def _valid_date(text: str) -> bool:
    try:
        date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]) or 1)  # day 00 means "the month"
    except ValueError:
        return False
    return True


def _attributes(query: Mapping[str, str]) -> dict[str, str]:
    """The query's GS1 data attributes (keys that are AIs), checked where we know their format."""
    found: dict[str, str] = {}
    for key, value in query.items():
        if not _DIGITS.fullmatch(key):
            continue  # linkType, context, lang...: not data attributes
        if key == AI_HARVEST_DATE:
            ok = (
                _DIGITS.fullmatch(value or "")
                and len(value) in (6, 12)
                and all(_valid_date(value[i : i + 6]) for i in range(0, len(value), 6))
            )
        elif _NET_WEIGHT_AI.fullmatch(key):
            ok = _DIGITS.fullmatch(value or "") and len(value) == 6
        else:
            ok = bool(value) and len(value) <= 90
        if not ok:
            message = LINK_ATTRIBUTE_FORMAT(ai=key)
            raise DigitalLinkSyntaxError(message, errors={key: [message]})
        found[key] = value
    return found


def parse(path: str, query: Mapping[str, str] | None = None) -> DigitalLink:
    """Read the path ``/01/<gtin>[/22/<cpv>][/10/<lot>][/21/<serial>]`` (percent-encoded) and the query's data
    attributes.

    ``DigitalLinkSyntaxError`` (400) for anything else: another primary key,
    qualifiers out of order or repeated, a value outside GS1 character set 82,
    a GTIN of the wrong length or with a wrong check digit.
    """
    segments = path.strip("/").split("/")
    if len(segments) < 2 or segments[0] != AI_GTIN:
        raise DigitalLinkSyntaxError(LINK_STARTS_WITH_GTIN)
    gtin = gtin14(unquote(segments[1]))
    rest = segments[2:]
    if len(rest) % 2:
        raise DigitalLinkSyntaxError(LINK_QUALIFIERS_IN_PAIRS)
    values: dict[str, str] = {}
    position = -1
    for ai, raw in zip(rest[::2], rest[1::2], strict=True):
        if ai not in GTIN_QUALIFIERS:
            raise DigitalLinkSyntaxError(LINK_NOT_A_QUALIFIER(ai=ai))
        if GTIN_QUALIFIERS.index(ai) <= position:
            raise DigitalLinkSyntaxError(LINK_QUALIFIER_ORDER)
        position = GTIN_QUALIFIERS.index(ai)
        values[ai] = _qualifier(ai, raw)
    return DigitalLink(
        gtin=gtin,
        lot=values.get(AI_LOT),
        serial=values.get(AI_SERIAL),
        variant=values.get(AI_VARIANT),
        attributes=_attributes(query or {}),
    )
