"""The Vietnamese banks a seller can be paid into by VietQR: their NAPAS bank identification number (BIN) and the
short name their customers know them by.

VietQR names the bank by its 6-digit NAPAS BIN (tag 38.01.00 of the payload), never by a name, so a typo in the BIN
sends the buyer's banking app to another bank or to none. The table holds the main banks' BINs as NAPAS lists them;
a seller whose bank is missing is added here, not typed in freely.
"""

from __future__ import annotations

NAPAS_BANKS: dict[str, str] = {
    "970436": "Vietcombank",
    "970415": "VietinBank",
    "970418": "BIDV",
    "970405": "Agribank",
    "970407": "Techcombank",
    "970422": "MB",
    "970416": "ACB",
    "970432": "VPBank",
    "970403": "Sacombank",
    "970423": "TPBank",
    "970441": "VIB",
    "970443": "SHB",
    "970437": "HDBank",
    "970448": "OCB",
    "970426": "MSB",
    "970440": "SeABank",
    "970431": "Eximbank",
    "970449": "LPBank",
    "970428": "Nam A Bank",
    "970409": "Bac A Bank",
}


def bank_name(bank_bin: str | None) -> str | None:
    """The short name of the bank with this BIN; None when it is not in the table."""
    return NAPAS_BANKS.get(bank_bin or "")
