"""Identifiers: public batch codes, GTINs and GS1 lot numbers (AI 10)."""

from __future__ import annotations

import re
import secrets

from core.errors import ValidationError
from traceability.messages import (
    GTIN_CHECK_DIGIT,
    GTIN_INVALID,
    GTIN_LENGTH,
    LOT_NUMBER_CHARACTERS,
    LOT_NUMBER_INVALID,
    LOT_NUMBER_REQUIRED,
    LOT_NUMBER_TOO_LONG,
)

# No 0/O, 1/I/L: a code read aloud over the phone or copied from a smudged label stays unambiguous.
BATCH_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BATCH_CODE_LENGTH = 8
_ALPHABET_SIZE = len(BATCH_CODE_ALPHABET)
_CODE_SPACE = _ALPHABET_SIZE**BATCH_CODE_LENGTH
# What the code hints show a buyer: a code as ``new_batch_code`` makes them (tests/unit keeps the two in step).
BATCH_CODE_EXAMPLE = "7KQ4M9XT"

# GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1): no space, no diacritics.
_GS1_CSET82 = re.compile(r"""[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+""")
LOT_NUMBER_MAX = 20


def new_batch_code() -> str:
    """A fresh random public code: cryptographically random, never derived from a sequence.

    One uniform draw below 31⁸, written in the alphabet's digits: the same distribution as a ``secrets.choice`` a
    character, at an eighth of the calls (a sheet import draws thousands at once)."""
    value = secrets.randbelow(_CODE_SPACE)
    characters = []
    for _ in range(BATCH_CODE_LENGTH):
        value, digit = divmod(value, _ALPHABET_SIZE)
        characters.append(BATCH_CODE_ALPHABET[digit])
    return "".join(characters)


def normalize_batch_code(text: str) -> str:
    """What a person typed or scanned ("abcd-efgh ") as the stored code ("ABCDEFGH")."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t")


def gtin_check_digit(digits: str) -> int:
    """The GS1 mod-10 check digit for ``digits`` (all digits but the check digit): weights 3,1,3,… from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def validate_gtin(text: str) -> str:
    """A GTIN-8/12/13/14 with a correct check digit, returned as GTIN-14; a field error on ``gtin`` otherwise."""
    digits = "".join((text or "").split())
    if not digits.isdigit() or not digits.isascii() or len(digits) not in (8, 12, 13, 14):
        raise ValidationError(GTIN_INVALID, errors={"gtin": [GTIN_LENGTH]})
    expected = gtin_check_digit(digits[:-1])
    if int(digits[-1]) != expected:
        raise ValidationError(GTIN_INVALID, errors={"gtin": [GTIN_CHECK_DIGIT(expected=expected)]})
    return digits.zfill(14)


def validate_lot_number(text: str) -> str:
    """A GS1 lot number (AI 10): 1–20 characters of GS1 character set 82; a field error on ``lot_number`` otherwise."""
    value = (text or "").strip()
    if not value:
        raise ValidationError(LOT_NUMBER_INVALID, errors={"lot_number": [LOT_NUMBER_REQUIRED]})
    if len(value) > LOT_NUMBER_MAX:
        raise ValidationError(LOT_NUMBER_INVALID, errors={"lot_number": [LOT_NUMBER_TOO_LONG(max=LOT_NUMBER_MAX)]})
    if not _GS1_CSET82.fullmatch(value):
        raise ValidationError(LOT_NUMBER_INVALID, errors={"lot_number": [LOT_NUMBER_CHARACTERS]})
    return value
