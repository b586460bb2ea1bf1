"""The message catalogs: extract, update, fill, check and compile, with Babel's API.

Msgids are English. ``translations/en`` repeats the msgid (better English may replace it);
``translations/vi`` is filled from ``translations/pending/*.tsv`` (``english<TAB>vietnamese``),
where each engineer lists the Vietnamese for the messages they add.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("vi", "en")
DOMAIN = "messages"
# Babel's defaults (_, gettext, ngettext, N_ ...) plus Flask-Babel's lazy forms.
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
}
# printf-style placeholders as Python's % operator reads them: %(name)s, %s, %d ...; "%%" is a literal.
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")


@dataclass
class UpdateReport:
    extracted: int = 0
    filled: dict[str, int] = field(default_factory=dict)
    untranslated: list[str] = field(default_factory=list)


def _key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def _strings(value) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value,) if value else ()


def _is_translated(message: Message) -> bool:
    strings = _strings(message.string)
    return bool(strings) and all(strings) and not message.fuzzy


def po_path(root: Path, locale: str) -> Path:
    return root / "translations" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def directory_filter(dirpath: str) -> bool:
    """Which folders extraction enters: all but hidden ones and caches.

    Babel's default also skips folders whose name starts with "_", which left the shared
    macros (templates/_macros) out of the catalogs and their labels in English on every page.
    """
    name = Path(dirpath).name
    return not name.startswith(".") and name != "__pycache__"


def extract(root: Path = ROOT) -> Catalog:
    """Every translatable message in the source tree, as ``pybabel extract -F babel.cfg`` finds them."""
    with (root / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(root / "babel.cfg"))
    template = Catalog(project="nongsan", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
        directory_filter=directory_filter,
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read_pending(root: Path = ROOT) -> dict[str, str]:
    """``english → vietnamese`` from every ``translations/pending/*.tsv``; later files win on a clash."""
    pending: dict[str, str] = {}
    for tsv in sorted((root / "translations" / "pending").glob("*.tsv")):
        for number, line in enumerate(tsv.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            english, sep, vietnamese = line.partition("\t")
            if not sep or not vietnamese.strip():
                raise ValueError(f"{tsv.name}:{number}: expected 'english<TAB>vietnamese'")
            pending[english.strip()] = vietnamese.strip()
    return pending


def _read_catalog(path: Path, locale: str) -> Catalog:
    if path.exists():
        with path.open("rb") as handle:
            return read_po(handle, locale=locale, domain=DOMAIN)
    return Catalog(locale=locale, domain=DOMAIN, project="nongsan", fuzzy=False)


def _fill(catalog: Catalog, locale: str, pending: dict[str, str]) -> int:
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if locale == "en":
            if _is_translated(message):
                continue
            message.string = message.id if isinstance(message.id, str) else tuple(message.id)
        else:
            vietnamese = pending.get(_key(message))
            if vietnamese is None or (_is_translated(message) and vietnamese in _strings(message.string)):
                continue
            # Vietnamese has one plural form: the one string serves every count.
            message.string = (vietnamese,) if isinstance(message.id, tuple) else vietnamese
        message.flags.discard("fuzzy")
        filled += 1
    return filled


def update(root: Path = ROOT) -> UpdateReport:
    """Extract, merge into both catalogs, fill them, write ``messages.pot`` and the ``.po`` files."""
    template = extract(root)
    pending = read_pending(root)
    report = UpdateReport(extracted=len([m for m in template if m.id]))
    with (root / "translations" / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, width=120, sort_output=True)
    for locale in LOCALES:
        path = po_path(root, locale)
        catalog = _read_catalog(path, locale)
        # Catalog.update adopts the template's new Message objects: give each locale its own copy.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        report.filled[locale] = _fill(catalog, locale, pending)
        if locale == "vi":
            report.untranslated = sorted(_key(m) for m in catalog if m.id and not _is_translated(m))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=120, sort_output=True, ignore_obsolete=True)
    compile_catalogs(root)
    return report


def placeholders(text: str) -> list[str]:
    return sorted(p for p in _PLACEHOLDER.findall(text) if p != "%%")


def check(root: Path = ROOT) -> list[str]:
    """Every problem that would show a reader an English or broken string; empty when all is well."""
    problems: list[str] = []
    wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in extract(root) if m.id}
    for locale in LOCALES:
        path = po_path(root, locale)
        if not path.exists():
            problems.append(f"{locale}: {path.relative_to(root)} is missing")
            continue
        catalog = _read_catalog(path, locale)
        known = {(m.context, _key(m)) for m in catalog if m.id}
        problems += [f"{locale}: not in the catalog: {msgid!r}" for _, msgid in sorted(wanted - known, key=str)]
        for message in catalog:
            if not message.id:
                continue
            if message.fuzzy:
                problems.append(f"{locale}: marked fuzzy: {_key(message)!r}")
            elif not _is_translated(message):
                problems.append(f"{locale}: no translation: {_key(message)!r}")
            elif any(placeholders(s) != placeholders(_key(message)) for s in _strings(message.string)):
                problems.append(f"{locale}: placeholders differ: {_key(message)!r}")
    return problems


def compile_catalogs(root: Path = ROOT, locales: Iterable[str] = LOCALES) -> list[Path]:
    """``pybabel compile -d translations``: the ``.mo`` files Flask-Babel reads (they are not committed)."""
    written = []
    for locale in locales:
        source = po_path(root, locale)
        if not source.exists():
            continue
        target = source.with_suffix(".mo")
        with source.open("rb") as handle:
            catalog = read_po(handle, locale=locale, domain=DOMAIN)
        with target.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(target)
    return written


def stale_catalogs(root: Path = ROOT) -> bool:
    """True when a ``.mo`` file is missing or older than its ``.po`` file."""
    for locale in LOCALES:
        source = po_path(root, locale)
        target = source.with_suffix(".mo")
        if source.exists() and (not target.exists() or target.stat().st_mtime < source.stat().st_mtime):
            return True
    return False
