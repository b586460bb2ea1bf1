"""VietQR payloads: the NAPAS 247 bank-transfer QR that every Vietnamese banking app scans.

An EMVCo merchant-presented payload of tag-length-value fields (DOMAIN.md §5)::

    00 "01"                       payload format
    01 "12"                       dynamic: this amount, this once
    38 00 "A000000727"            NAPAS
       01 00 <bank BIN, 6 digits> 01 <account number>
       02 "QRIBFTTA"              transfer to an account
    53 "704"                      VND
    54 <amount>                   whole đồng
    58 "VN"
    62 08 <purpose>               the transfer note: the order code, so the seller can match the money
    63 <CRC-16/CCITT-FALSE>       over everything before it, "6304" included

``payload`` builds it and ``parse`` reads one back (checking its CRC), so that what a buyer's app will see can be
tested. The bank-transfer payment method (issue #10) will draw it with ``qrcode``; until then nothing offers it.
"""

from __future__ import annotations

import binascii
import re
import unicodedata
from dataclasses import dataclass

NAPAS = "A000000727"
TO_ACCOUNT = "QRIBFTTA"
DYNAMIC = "12"
VND = "704"
_BIN = re.compile(r"\d{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")
_PURPOSE = re.compile(r"[0-9A-Za-z .,\-]{1,25}")
MAX_AMOUNT = 10**13 - 1  # 13 digits: the field holds at most 13 characters
_TEMPLATES = {"38", "62", "38.01"}  # fields whose value is itself a list of fields


class PayloadError(ValueError):
    """A payload that cannot be built (a bad BIN, account, amount or note) or read (a bad length or CRC)."""


@dataclass(frozen=True)
class Transfer:
    bank_bin: str  # the receiving bank's NAPAS BIN, e.g. "970415" (VietinBank)
    account: str
    amount: int  # VND, whole đồng
    purpose: str  # the transfer note, ASCII: banking apps drop or garble diacritics


def field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise PayloadError(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc(text: str) -> str:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, start 0xFFFF) as four upper-case hex digits."""
    return f"{binascii.crc_hqx(text.encode('ascii'), 0xFFFF):04X}"


def ascii_note(text: str) -> str:
    """A transfer note as banking apps keep it: Vietnamese letters without their marks ("Đơn ĐH-12" → "Don DH-12")."""
    plain = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).split())


def _checked(transfer: Transfer) -> Transfer:
    if not _BIN.fullmatch(transfer.bank_bin):
        raise PayloadError("the bank BIN must be 6 digits")
    if not _ACCOUNT.fullmatch(transfer.account):
        raise PayloadError("the account number must be 1 to 19 letters or digits")
    if (
        isinstance(transfer.amount, bool)
        or not isinstance(transfer.amount, int)
        or not 0 < transfer.amount <= MAX_AMOUNT
    ):
        raise PayloadError("the amount must be a whole number of đồng above 0")
    if not _PURPOSE.fullmatch(transfer.purpose):
        raise PayloadError("the note must be 1 to 25 ASCII letters, digits, spaces or . , -")
    return transfer


def payload(transfer: Transfer) -> str:
    """The text to draw as the QR code of ``transfer``."""
    transfer = _checked(transfer)
    bank = field("00", transfer.bank_bin) + field("01", transfer.account)
    body = (
        field("00", "01")
        + field("01", DYNAMIC)
        + field("38", field("00", NAPAS) + field("01", bank) + field("02", TO_ACCOUNT))
        + field("53", VND)
        + field("54", str(transfer.amount))
        + field("58", "VN")
        + field("62", field("08", transfer.purpose))
        + "6304"
    )
    return body + crc(body)


def _fields(text: str, prefix: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    at = 0
    while at < len(text):
        tag, size = text[at : at + 2], text[at + 2 : at + 4]
        if not size.isdigit() or at + 4 + int(size) > len(text):
            raise PayloadError(f"field {prefix}{tag} has a bad length")
        value = text[at + 4 : at + 4 + int(size)]
        name = prefix + tag
        found[name] = value
        if name in _TEMPLATES:
            found.update(_fields(value, name + "."))
        at += 4 + int(size)
    return found


def parse(text: str) -> dict[str, str]:
    """Every field of a payload by its path ("54" the amount, "38.01.00" the BIN, "62.08" the note).

    The CRC must match: a banking app refuses a payload whose CRC does not."""
    if len(text) < 8 or text[-8:-4] != "6304" or crc(text[:-4]) != text[-4:]:
        raise PayloadError("the CRC does not match the payload")
    return _fields(text[:-8])
