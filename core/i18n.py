"""Vietnamese first, English second: locale choice and the formats people read."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from flask import Flask, current_app, request
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from core.extensions import babel

LANG_COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def money(amount: int | None) -> str:
    """VND has no minor unit: 250000 → '250.000 ₫' (vi) or '₫250,000' (en)."""
    if amount is None:
        return ""
    return format_currency(amount, "VND", locale=str(get_locale()), currency_digits=True)


def number(value: Decimal | float | int | None, digits: int = 3) -> str:
    """1250.5 → '1.250,5' (vi) or '1,250.5' (en)."""
    if value is None:
        return ""
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=str(get_locale()))


def day(value: date | datetime | None) -> str:
    """27/11/2026 (vi) or 27 Nov 2026 (en), in Vietnam's time zone."""
    if value is None:
        return ""
    pattern = "dd/MM/yyyy" if str(get_locale()) == "vi" else "d MMM yyyy"
    if isinstance(value, datetime):
        return format_datetime(value, pattern)
    return format_date(value, pattern)


def moment(value: datetime | None) -> str:
    if value is None:
        return ""
    pattern = "HH:mm dd/MM/yyyy" if str(get_locale()) == "vi" else "d MMM yyyy, HH:mm"
    return format_datetime(value, pattern)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.root_path + "/translations"))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(money=money, number=number, day=day, moment=moment)
    app.jinja_env.globals.update(get_locale=get_locale)
