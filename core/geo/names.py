"""Comparing Vietnamese place names the way people type them.

People write "xã Lộc Thái", "Xa Loc Thai", "X. Lộc Thái" or just "Lộc Thái" for the same
place, and the two data packages disagree on tone-mark placement ("Hòa"/"Hoà") and on
whether a name carries its unit word ("Tỉnh Đồng Nai" vs "Đồng Nai"). Everything here is
pure string work, so it is unit-tested without an app.
"""

from __future__ import annotations

import re
import unicodedata

# Each unit word with the kind of unit it names and its canonical ASCII form. The ASCII
# spellings are listed on purpose: "phường" (ward) and "phương" (part of a name such as
# "Phương Liệt") differ only by a diacritic, so only an undecorated "phuong" is ambiguous.
UNIT_WORDS: tuple[tuple[str, str, str], ...] = (
    ("thị xã", "district", "thi-xa"),
    ("thi xa", "district", "thi-xa"),
    ("tx", "district", "thi-xa"),
    ("huyện", "district", "huyen"),
    ("huyen", "district", "huyen"),
    ("h", "district", "huyen"),
    ("quận", "district", "quan"),
    ("quan", "district", "quan"),
    ("q", "district", "quan"),
    ("thị trấn", "ward", "thi-tran"),
    ("thi tran", "ward", "thi-tran"),
    ("tt", "ward", "thi-tran"),
    ("đặc khu", "ward", "dac-khu"),
    ("dac khu", "ward", "dac-khu"),
    ("phường", "ward", "phuong"),
    ("phuong", "ward", "phuong"),
    ("p", "ward", "phuong"),
    ("xã", "ward", "xa"),
    ("xa", "ward", "xa"),
    ("x", "ward", "xa"),
    ("thành phố", "city", "thanh-pho"),
    ("thanh pho", "city", "thanh-pho"),
    ("tp", "city", "thanh-pho"),
    ("tỉnh", "province", "tinh"),
    ("tinh", "province", "tinh"),
)
_ABBREVIATIONS = {"tx", "h", "q", "tt", "p", "x", "tp"}


def _prefix_pattern(word: str) -> re.Pattern[str]:
    # A full word needs a space or a dot after it; an abbreviation may also run into a
    # number ("P1", "Q.3"), which is how city wards are often written.
    tail = r"(?:[.\s]+|(?=\d))" if word in _ABBREVIATIONS else r"[.\s]+"
    return re.compile(rf"^{re.escape(word)}{tail}(?P<rest>\S.*)$")


# Longest word first, so "thị xã" is tried before "xã" and "tt" before "t...".
_PREFIX_PATTERNS = [
    (kind, canonical, _prefix_pattern(word))
    for word, kind, canonical in sorted(UNIT_WORDS, key=lambda item: -len(item[0]))
]


def clean(text: str) -> str:
    """NFC, single spaces, no surrounding blanks or punctuation."""
    text = unicodedata.normalize("NFC", text or "")
    return re.sub(r"\s+", " ", text).strip(" \t\r\n,;.-")


def fold(text: str) -> str:
    """Lower case ASCII without diacritics: 'Đặc khu Phú Quốc' → 'dac khu phu quoc'."""
    decomposed = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d").replace("Đ", "d"))
    ascii_text = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.sub(r"[^a-z0-9]+", " ", ascii_text).strip()


def split_unit_prefix(text: str) -> tuple[str | None, str | None, str]:
    """The unit word's kind and canonical form, and the bare name.

    'Phường Tân Phú' → ('ward', 'phuong', 'Tân Phú'); 'TP. Đồng Xoài' → ('city', 'thanh-pho',
    'Đồng Xoài'); 'Phương Liệt' → (None, None, 'Phương Liệt'). Kinds are 'ward', 'district',
    'city' (a district or a province) and 'province'. A name that would become empty keeps its word.
    """
    name = clean(text)
    lowered = name.lower()
    for kind, canonical, pattern in _PREFIX_PATTERNS:
        match = pattern.match(lowered)
        if match:
            return kind, canonical, clean(name[match.start("rest") :])
    return None, None, name


def name_key(text: str) -> str:
    """The key two spellings of one place share: no unit word, no diacritics, lower case."""
    return fold(split_unit_prefix(text)[2])


def split_segments(text: str) -> list[str]:
    """Address parts as people separate them: commas, semicolons or line breaks."""
    return [part for part in (clean(piece) for piece in re.split(r"[,;\n]+", text or "")) if part]


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
# then the tone marks only break ties (none, grave, hook, tilde, acute, dot below).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_MODIFIERS = {
    "\u0306": {"a": "ă"},
    "\u0302": {"a": "â", "e": "ê", "o": "ô"},
    "\u031b": {"o": "ơ", "u": "ư"},
}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sort key in Vietnamese alphabetical order: Đ after D, Ơ after Ô, "Cà Mau" before
    "Cao Bằng" (a shorter word first), "Phường 2" before "Phường 10", tones only break ties."""
    letters: list[int] = []
    tones: list[int] = []
    number: str = ""

    def flush_number() -> None:
        nonlocal number
        if number:
            letters.extend((-1, int(number)))
            tones.append(0)
            number = ""

    for char in unicodedata.normalize("NFD", (text or "").lower()):
        if char.isdigit() and char.isascii():
            number += char
            continue
        flush_number()
        if char in _TONES:
            if tones:
                tones[-1] = _TONES[char]
        elif char in _LETTER_MODIFIERS:
            base = _ALPHABET[letters[-1]] if letters and 0 <= letters[-1] < len(_ALPHABET) else ""
            modified = _LETTER_MODIFIERS[char].get(base)
            if modified:
                letters[-1] = _ALPHABET.index(modified)
        elif char in _ALPHABET:
            letters.append(_ALPHABET.index(char))
            tones.append(0)
        elif not char.isspace() and unicodedata.category(char)[0] in "LN":
            letters.append(len(_ALPHABET) + ord(char))
            tones.append(0)
        elif letters and letters[-1] != -2:
            letters.append(-2)  # a word break sorts before any letter
    flush_number()
    return tuple(letters), tuple(tones)
