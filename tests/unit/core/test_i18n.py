"""The numbers, amounts and dates people read, in Vietnamese and English.

A bare Flask app with only Flask-Babel (no database): the helpers need a request to know the locale.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import Flask
from flask_login import LoginManager

from core import i18n
from core.i18n import day, moment, money, number, select_locale


@pytest.fixture(scope="module")
def bare_app() -> Flask:
    app = Flask("i18n-unit")
    app.config.update(LANGUAGES=("vi", "en"), BABEL_DEFAULT_LOCALE="vi", BABEL_DEFAULT_TIMEZONE="Asia/Ho_Chi_Minh")
    i18n.init_app(app)
    login = LoginManager(app)
    login.user_loader(lambda user_id: None)
    return app


def in_locale(app: Flask, lang: str):
    return app.test_request_context(f"/?lang={lang}")


@pytest.mark.parametrize(("lang", "expected"), [("vi", "250.000 ₫"), ("en", "₫250,000")])
def test_money_is_whole_dong_with_the_local_separators(bare_app, lang, expected):
    with in_locale(bare_app, lang):
        assert money(250000) == expected
        assert money(None) == ""


def test_money_in_vietnamese_uses_a_plain_space_before_the_symbol(bare_app):
    # CLDR puts U+00A0 there; a reader, a CSV export and a search all expect the typed form.
    with in_locale(bare_app, "vi"):
        assert money(1_500_000) == "1.500.000 ₫"
        assert "\u00a0" not in money(1_500_000)
        assert money(-20000) == "-20.000 ₫"


@pytest.mark.parametrize(("lang", "expected"), [("vi", "1.250,5"), ("en", "1,250.5")])
def test_number_keeps_only_the_decimals_it_needs(bare_app, lang, expected):
    with in_locale(bare_app, lang):
        assert number(1250.5) == expected
        assert number(Decimal("1250.500")) == expected
        assert number(None) == ""


def test_number_rounds_to_the_digits_asked(bare_app):
    with in_locale(bare_app, "vi"):
        assert number(Decimal("33.3333"), digits=2) == "33,33"
        assert number(1250.5, digits=0) == "1.250"


@pytest.mark.parametrize(("lang", "expected"), [("vi", "27/11/2026"), ("en", "27 Nov 2026")])
def test_day(bare_app, lang, expected):
    with in_locale(bare_app, lang):
        assert day(date(2026, 11, 27)) == expected
        assert day(None) == ""


@pytest.mark.parametrize(("lang", "expected"), [("vi", "27/11/2026"), ("en", "27 Nov 2026")])
def test_day_of_a_datetime_is_the_day_in_vietnam(bare_app, lang, expected):
    # 20:00 UTC on the 26th is 03:00 on the 27th in Hồ Chí Minh City (UTC+7).
    with in_locale(bare_app, lang):
        assert day(datetime(2026, 11, 26, 20, 0, tzinfo=UTC)) == expected


@pytest.mark.parametrize(("lang", "expected"), [("vi", "14:30 27/11/2026"), ("en", "27 Nov 2026, 14:30")])
def test_moment_is_shown_in_vietnam_time(bare_app, lang, expected):
    with in_locale(bare_app, lang):
        assert moment(datetime(2026, 11, 27, 7, 30, tzinfo=UTC)) == expected
        # Naive datetimes from the database are UTC.
        assert moment(datetime(2026, 11, 27, 7, 30)) == expected
        assert moment(None) == ""


@pytest.mark.parametrize(
    ("url", "headers", "expected"),
    [
        ("/", {}, "vi"),
        ("/", {"Accept-Language": "en-US,en;q=0.9"}, "en"),
        ("/", {"Accept-Language": "fr-FR,fr;q=0.9"}, "vi"),
        ("/", {"Accept-Language": "en-US"}, "en"),
        ("/", {"Accept-Language": "vi-VN,en;q=0.5"}, "vi"),
        ("/", {"Accept-Language": "fr, en;q=0"}, "vi"),
        ("/", {"Accept-Language": "en", "Cookie": "lang=vi"}, "vi"),
        ("/", {"Cookie": "lang=en"}, "en"),
        ("/?lang=vi", {"Cookie": "lang=en"}, "vi"),
        ("/?lang=en", {"Accept-Language": "vi"}, "en"),
        ("/?lang=fr", {"Cookie": "lang=en"}, "en"),
        ("/?lang=xx", {"Cookie": "lang=yy"}, "vi"),
    ],
)
def test_locale_choice_order(bare_app, url, headers, expected):
    with bare_app.test_request_context(url, headers=headers):
        assert select_locale() == expected


def test_locale_outside_a_request_is_the_default(bare_app):
    with bare_app.app_context():
        assert select_locale() == "vi"
