"""VietQR payloads: what a Vietnamese banking app reads from the QR code of a bank transfer."""

from __future__ import annotations

import io

import pytest
import qrcode
import zxingcpp
from PIL import Image

from market.payments.vietqr import PayloadError, Transfer, ascii_note, parse, payload

# Published by github.com/subiz/vietqr (120.000 ₫ to VietinBank account 0011001932418), read by banking apps.
PUBLISHED = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C"
)


def test_it_writes_a_published_payload_byte_for_byte():
    assert payload(Transfer("970415", "0011001932418", 120000, "ung ho lu lut")) == PUBLISHED


def test_the_qr_image_decodes_to_the_exact_amount_and_order_code_with_a_valid_crc():
    text = payload(Transfer("970436", "1023456789", 250000, "NS DH26000123"))
    buffer = io.BytesIO()
    qrcode.make(text).save(buffer, format="PNG")
    (scanned,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(buffer.getvalue())))
    fields = parse(scanned.text)
    assert fields["54"] == "250000"  # 250.000 ₫, whole đồng
    assert fields["62.08"] == "NS DH26000123"
    assert (fields["38.00"], fields["38.01.00"], fields["38.01.01"], fields["38.02"]) == (
        "A000000727",
        "970436",
        "1023456789",
        "QRIBFTTA",
    )
    assert (fields["00"], fields["01"], fields["53"], fields["58"]) == ("01", "12", "704", "VN")


def test_a_changed_digit_breaks_the_crc():
    text = payload(Transfer("970436", "1023456789", 250000, "NS DH26000123"))
    with pytest.raises(PayloadError):
        parse(text.replace("5406250000", "5406950000"))


@pytest.mark.parametrize(
    "transfer",
    [
        Transfer("97043", "1023456789", 1000, "NS 1"),  # BIN of 5 digits
        Transfer("970436", "1023-456789", 1000, "NS 1"),  # account with a dash
        Transfer("970436", "1023456789", 0, "NS 1"),
        Transfer("970436", "1023456789", -5, "NS 1"),
        Transfer("970436", "1023456789", 10**13, "NS 1"),
        Transfer("970436", "1023456789", 1000, "Đơn hàng 1"),  # diacritics: use ascii_note first
        Transfer("970436", "1023456789", 1000, "N" * 26),
    ],
)
def test_a_transfer_that_no_bank_would_read_is_refused(transfer):
    with pytest.raises(PayloadError):
        payload(transfer)


def test_a_note_loses_its_marks_not_its_letters():
    assert ascii_note("Đơn  hàng ĐH-2026-0012 của Lan") == "Don hang DH-2026-0012 cua Lan"
