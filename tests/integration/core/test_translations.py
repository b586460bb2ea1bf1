"""Both catalogs are complete, and the `flask translations` tool keeps them so."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from core.app import ROOT
from core.i18n_catalogs import KEYWORDS, directory_filter, placeholders


def source_messages(root: Path) -> dict[str, tuple[str, int]]:
    """msgid → where it is used, as `pybabel extract -F babel.cfg` would find them."""
    with (root / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, tuple[str, int]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, directory_filter=directory_filter
    ):
        msgid = message if isinstance(message, str) else message[0]
        if msgid:
            found.setdefault(msgid, (filename, lineno))
    return found


def read_catalog(root: Path, locale: str):
    with (root / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_every_message_in_the_code_is_translated(locale):
    catalog = read_catalog(ROOT, locale)
    problems = []
    for msgid, (filename, lineno) in sorted(source_messages(ROOT).items()):
        message = catalog.get(msgid)
        strings = (
            message.string if message and isinstance(message.string, tuple) else (message.string if message else "",)
        )
        if message is None or not all(strings):
            problems.append(f"{filename}:{lineno}: {msgid!r}")
        elif message.fuzzy:
            problems.append(f"{filename}:{lineno}: fuzzy: {msgid!r}")
    assert problems == [], f"{len(problems)} messages without {locale} text; run 'flask translations update'"


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_placeholders_survive_translation(locale):
    for message in read_catalog(ROOT, locale):
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            if text:
                assert placeholders(text) == placeholders(msgid), f"{locale}: {msgid!r} → {text!r}"


def test_brand_names():
    assert read_catalog(ROOT, "vi").get("Dong Nai Farm Produce").string == "Nông sản Đồng Nai"
    assert read_catalog(ROOT, "en").get("Dong Nai Farm Produce").string == "Dong Nai Farm Produce"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A tiny project: one module, one template, one engineer's pending translations."""
    (tmp_path / "babel.cfg").write_text("[python: core/**.py]\n[jinja2: templates/**.html]\n")
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "sample.py").write_text(
        "from flask_babel import gettext as _, lazy_gettext as _l, ngettext\n"
        "TITLE = _l('Fresh pepper')\n"
        "def greet(name):\n"
        "    return _('Hello %(name)s', name=name)\n"
        "def bags(n):\n"
        "    return ngettext('%(num)d bag', '%(num)d bags', n)\n"
    )
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<h1>{{ _('Raw cashew nuts') }}</h1>\n")
    (tmp_path / "translations" / "pending").mkdir(parents=True)
    (tmp_path / "translations" / "pending" / "team.tsv").write_text(
        "Fresh pepper\tTiêu tươi\nHello %(name)s\tXin chào %(name)s\n%(num)d bag\t%(num)d bao\n", encoding="utf-8"
    )
    return tmp_path


def test_update_fills_both_catalogs_and_reports_what_vietnamese_lacks(app, tree):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["translations", "update", "--root", str(tree)])
    assert result.exit_code == 0, result.output
    assert "1 messages have no Vietnamese yet" in result.output
    assert "Raw cashew nuts" in result.output

    vi, en = read_catalog(tree, "vi"), read_catalog(tree, "en")
    assert vi.get("Fresh pepper").string == "Tiêu tươi"
    assert vi.get("Hello %(name)s").string == "Xin chào %(name)s"
    assert vi.get(("%(num)d bag", "%(num)d bags")).string == ("%(num)d bao",)
    assert en.get("Raw cashew nuts").string == "Raw cashew nuts"
    assert en.get(("%(num)d bag", "%(num)d bags")).string == ("%(num)d bag", "%(num)d bags")
    assert (tree / "translations" / "vi" / "LC_MESSAGES" / "messages.mo").exists()

    result = runner.invoke(args=["translations", "check", "--root", str(tree)])
    assert result.exit_code != 0
    assert "vi: no translation: 'Raw cashew nuts'" in result.output


def test_check_passes_when_complete_and_catches_new_code(app, tree):
    runner = app.test_cli_runner()
    with (tree / "translations" / "pending" / "team.tsv").open("a", encoding="utf-8") as handle:
        handle.write("Raw cashew nuts\tĐiều thô\n")
    assert runner.invoke(args=["translations", "update", "--root", str(tree)]).exit_code == 0
    result = runner.invoke(args=["translations", "check", "--root", str(tree)])
    assert result.exit_code == 0, result.output

    # Someone adds a message and forgets `update`.
    with (tree / "core" / "sample.py").open("a") as handle:
        handle.write("NEW = _l('Dried pepper')\n")
    result = runner.invoke(args=["translations", "check", "--root", str(tree)])
    assert result.exit_code != 0
    assert "vi: not in the catalog: 'Dried pepper'" in result.output
    assert "en: not in the catalog: 'Dried pepper'" in result.output


def test_update_keeps_a_translation_and_drops_what_the_code_no_longer_uses(app, tree):
    runner = app.test_cli_runner()
    runner.invoke(args=["translations", "update", "--root", str(tree)])
    (tree / "templates" / "page.html").write_text("<h1>{{ _('Fresh pepper') }}</h1>\n")
    assert runner.invoke(args=["translations", "update", "--root", str(tree)]).exit_code == 0
    vi = read_catalog(tree, "vi")
    assert vi.get("Raw cashew nuts") is None
    assert vi.get("Fresh pepper").string == "Tiêu tươi"
    assert "Raw cashew nuts" not in (tree / "translations" / "vi" / "LC_MESSAGES" / "messages.po").read_text()


def test_check_catches_a_broken_placeholder(app, tree):
    (tree / "translations" / "pending" / "team.tsv").write_text(
        "Fresh pepper\tTiêu tươi\nHello %(name)s\tXin chào %(ten)s\n%(num)d bag\t%(num)d bao\nRaw cashew "
        "nuts\tĐiều thô\n",
        encoding="utf-8",
    )
    runner = app.test_cli_runner()
    runner.invoke(args=["translations", "update", "--root", str(tree)])
    result = runner.invoke(args=["translations", "check", "--root", str(tree)])
    assert result.exit_code != 0
    assert "vi: placeholders differ: 'Hello %(name)s'" in result.output
