"""What the Vietnamese page walk reads: the catalogue's English sentences, a page's text and its forms.

``english_fragments()`` is every stretch of English between placeholders of a catalogue msgid
(two words or more, not written the same in Vietnamese); ``english_left(html)`` names those a
page still shows, and in its messages English words and English-formatted numbers ("1250.5000", "20000").
``forms_of(html)`` lists a page's forms with their fields, for the walk to submit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser

from babel.messages.pofile import read_po

from core import i18n_catalogs

PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0\- +]*\d*(?:\.\d+)?[a-z%]")
# Flask-Login's own message: not in our catalogue unless the app gives its own.
OUTSIDE_THE_CATALOGUE = ("Please log in to access this page.",)
TEXT_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
MESSAGE_BLOCKS = re.compile(
    r'<(ul|div|p)[^>]*class="(?:field-errors|form-errors|flash)[^"]*"[^>]*>(.*?)</\1>', re.DOTALL
)
# A decimal point, or five digits ungrouped: how English writes numbers, never Vietnamese.
# A value echoed back in quotes ('99999999') is what was typed, not a number the page wrote.
ENGLISH_NUMBER = re.compile(r"(?<![\w.,'])(?:\d+\.\d{1,2}|\d+\.\d{4,}|\d{5,})(?![\w.'’]|,\d)")


@cache
def _vietnamese() -> dict[str, str]:
    with i18n_catalogs.po_path(i18n_catalogs.ROOT, "vi").open("rb") as handle:
        return {message.id: message.string for message in read_po(handle, locale="vi") if message.id}


@cache
def english_words() -> frozenset[str]:
    """Lowercase words of five letters or more that the catalogue's English uses and its Vietnamese does not."""
    words = {w for msgid in _vietnamese() if isinstance(msgid, str) for w in re.findall(r"\b[a-z]{5,}\b", msgid)}
    used = {w.lower() for text in _vietnamese().values() if isinstance(text, str) for w in re.findall(r"\w+", text)}
    return frozenset(words - used)


@cache
def english_fragments() -> tuple[str, ...]:
    vietnamese = _vietnamese()
    msgids = [m.id if isinstance(m.id, str) else m.id[0] for m in i18n_catalogs.extract()]
    found: set[str] = set(OUTSIDE_THE_CATALOGUE)
    for msgid in msgids:
        if vietnamese.get(msgid) == msgid:  # brand or unit names written the same in both languages
            continue
        for part in PLACEHOLDER.split(msgid):
            part = part.strip(" \t\n:;,.()[]“”\"'…-—·/")
            if len(part.split()) >= 2 and re.search(r"[a-z]{3}", part):
                found.add(part)
    return tuple(sorted(found, key=len, reverse=True))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts.extend(value for name, value in attrs if name in TEXT_ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_left(html: str) -> list[str]:
    """The catalogue's English sentences on the page, and English-formatted numbers in its messages."""
    text = page_text(html)
    left = [f for f in english_fragments() if f in text and re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text)]
    for _tag, block in MESSAGE_BLOCKS.findall(html):
        said = page_text(block)
        # Coordinates in brackets are quoted as typed (GeoJSON writes them the same in every language).
        numbers = ENGLISH_NUMBER.findall(re.sub(r"\[[^\]]*\]", "", said))
        left.extend(f"number {n!r} in “{said}”" for n in numbers)
        # A message the catalogue does not hold (a plain string) or a parameter left in English ("moisture").
        # What follows "use one of:" ("một trong:") are the codes an API caller sends: words of no language.
        prose = said.split("một trong:")[0]
        left.extend(f"word {w!r} in “{said}”" for w in re.findall(r"\b[a-z]{5,}\b", prose) if w in english_words())
    return left


@dataclass
class Form:
    action: str
    method: str
    hidden: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # name → input type ("select", "checkbox", "text"...)


class _Forms(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "form":
            action = found.get("action") or self.page_url
            self.forms.append(Form(action=action, method=(found.get("method") or "get").lower()))
        elif not self.forms or not found.get("name"):
            return
        elif tag == "input":
            self._input(self.forms[-1], found)
        elif tag in ("select", "textarea"):
            self.forms[-1].fields[found["name"]] = tag
        elif tag == "button" and found.get("value") is not None:
            self.forms[-1].fields.setdefault(found["name"], "button")

    @staticmethod
    def _input(form: Form, found: dict) -> None:
        kind = (found.get("type") or "text").lower()
        if kind == "hidden":
            form.hidden.setdefault(found["name"], found.get("value") or "")
        elif kind not in ("submit", "file"):
            form.fields[found["name"]] = kind


def forms_of(html: str, page_url: str) -> list[Form]:
    parser = _Forms(page_url)
    parser.feed(html)
    return parser.forms
