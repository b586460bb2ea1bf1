"""Batch codes, GTINs and GS1 lot numbers."""

import pytest

from core.errors import ValidationError
from traceability.identifiers import (
    BATCH_CODE_ALPHABET,
    gtin_check_digit,
    new_batch_code,
    normalize_batch_code,
    validate_gtin,
    validate_lot_number,
)


def test_batch_codes_use_only_unambiguous_characters():
    codes = [new_batch_code() for _ in range(500)]
    for code in codes:
        assert len(code) == 8
        assert set(code) <= set(BATCH_CODE_ALPHABET)
        assert not set(code) & set("0O1IL")


def test_batch_codes_are_random_not_sequential():
    codes = [new_batch_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    # Consecutive codes share no common prefix pattern the way counters do.
    same_prefix = sum(1 for a, b in zip(codes, codes[1:], strict=False) if a[:4] == b[:4])
    assert same_prefix < 5
    # Every character of the alphabet shows up in the first position over many draws.
    assert {code[0] for code in codes} == set(BATCH_CODE_ALPHABET)


def test_typed_batch_code_is_normalized():
    assert normalize_batch_code(" abcd-efgh ") == "ABCDEFGH"
    assert normalize_batch_code("ab cd ef gh") == "ABCDEFGH"


@pytest.mark.parametrize(
    ("given", "gtin14"),
    [
        ("8934567890120", "08934567890120"),  # GTIN-13 with prefix 893
        ("96385074", "00000096385074"),  # GTIN-8
        ("036000291452", "00036000291452"),  # UPC-A
        ("10614141000415", "10614141000415"),  # GTIN-14
        ("8 934567 890120", "08934567890120"),
    ],
)
def test_valid_gtins_become_gtin14(given, gtin14):
    assert validate_gtin(given) == gtin14


def test_check_digit_uses_weights_three_one_from_the_right():
    assert gtin_check_digit("893456789012") == 0
    assert gtin_check_digit("400638133393") == 1
    assert gtin_check_digit("9638507") == 4


def test_a_bad_check_digit_is_a_gtin_field_error():
    with pytest.raises(ValidationError) as caught:
        validate_gtin("8934567890127")
    assert "gtin" in caught.value.errors
    assert "should be 0" in caught.value.errors["gtin"][0]  # it says what the digit should be


@pytest.mark.parametrize("given", ["", "12345", "89345678901a", "123456789012345", "８９３４５６７８９０１２０"])
def test_malformed_gtins_are_refused(given):
    with pytest.raises(ValidationError) as caught:
        validate_gtin(given)
    assert list(caught.value.errors) == ["gtin"]


@pytest.mark.parametrize("given", ["LOT-2025/07", "A1", "ABC.def_12+(3)", "12345678901234567890"])
def test_gs1_lot_numbers_are_accepted(given):
    assert validate_lot_number(given) == given


@pytest.mark.parametrize(
    "given",
    [
        "Lô-Điều-01",  # Vietnamese diacritics
        "LOT 01",  # a space
        "123456789012345678901",  # 21 characters
        "",
        "LOT#1",  # '#' is not in the GS1 set
    ],
)
def test_lot_numbers_outside_the_gs1_set_are_refused(given):
    with pytest.raises(ValidationError) as caught:
        validate_lot_number(given)
    assert list(caught.value.errors) == ["lot_number"]
