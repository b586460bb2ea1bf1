"""Place names compare the way people type them: with or without diacritics and unit words."""

from __future__ import annotations

import pytest

from core.geo.names import fold, name_key, split_segments, split_unit_prefix, vietnamese_sort_key


@pytest.mark.parametrize(
    "typed",
    ["xã Lộc Thái", "Xã Lộc Thái", "XÃ LỘC THÁI", "xa Loc Thai", "X. Lộc Thái", "  Lộc   Thái ", "Lộc Thái"],
)
def test_spellings_of_one_commune_share_a_key(typed):
    assert name_key(typed) == "loc thai"


@pytest.mark.parametrize(
    ("typed", "kind", "word", "bare"),
    [
        ("Phường Tân Phú", "ward", "phuong", "Tân Phú"),
        ("Thị trấn Lộc Ninh", "ward", "thi-tran", "Lộc Ninh"),
        ("TT Lộc Ninh", "ward", "thi-tran", "Lộc Ninh"),
        ("Đặc khu Phú Quốc", "ward", "dac-khu", "Phú Quốc"),
        ("P.1", "ward", "phuong", "1"),
        ("P1", "ward", "phuong", "1"),
        ("huyện Lộc Ninh", "district", "huyen", "Lộc Ninh"),
        ("Thị xã Bình Long", "district", "thi-xa", "Bình Long"),
        ("Q.3", "district", "quan", "3"),
        ("thành phố Đồng Xoài", "city", "thanh-pho", "Đồng Xoài"),
        ("TP. Hồ Chí Minh", "city", "thanh-pho", "Hồ Chí Minh"),
        ("Tỉnh Bình Phước", "province", "tinh", "Bình Phước"),
        ("Bình Phước", None, None, "Bình Phước"),
    ],
)
def test_unit_words_are_recognised(typed, kind, word, bare):
    assert split_unit_prefix(typed) == (kind, word, bare)


def test_a_name_that_only_looks_like_a_unit_word_keeps_it():
    # "Phương" (a name) is not "Phường" (ward); only the undecorated ASCII form is ambiguous.
    assert split_unit_prefix("Phương Liệt") == (None, None, "Phương Liệt")
    assert name_key("Phường Phương Liệt") == "phuong liet"
    # A lone unit word is a name, not an empty one.
    assert name_key("Xã") == "xa"


def test_tone_mark_placement_and_d_stroke_fold_alike():
    assert fold("Hoà") == fold("Hòa") == "hoa"
    assert fold("Đắk Ơ") == fold("Dak O") == "dak o"
    assert fold("Đăk Ơ") == "dak o"


def test_segments_split_on_commas_semicolons_and_lines():
    assert split_segments(" 12 Trần Hưng Đạo,, phường Tân Phú ; TP Đồng Xoài\n") == [
        "12 Trần Hưng Đạo",
        "phường Tân Phú",
        "TP Đồng Xoài",
    ]


def test_vietnamese_alphabetical_order():
    names = ["Đồng Tháp", "Cần Thơ", "Cao Bằng", "Cà Mau", "Dầu Giây", "Ơ", "Ô", "O", "Ư", "U", "Phường 10", "Phường 2"]
    assert sorted(names, key=vietnamese_sort_key) == [
        "Cà Mau",
        "Cao Bằng",
        "Cần Thơ",
        "Dầu Giây",
        "Đồng Tháp",
        "O",
        "Ô",
        "Ơ",
        "Phường 2",
        "Phường 10",
        "U",
        "Ư",
    ]
