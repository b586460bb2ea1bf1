"""Vietnamese first, English second: locale choice and the formats people read."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from flask import Flask, Response, current_app, has_request_context, request
from flask_babel import format_date, format_datetime, get_locale, gettext
from flask_login import current_user

from core.extensions import babel, db
from core.messages import Message, Quantity

LANG_COOKIE = "lang"
# Each language is named in itself: someone who cannot read the page must still find their own.
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
# CLDR separates amount and symbol with a no-break space (U+00A0, or U+202F in some locales).
# Pages, CSV exports and tests all expect the plain "250.000 ₫" a Vietnamese reader types.
_CLDR_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def may_be_signed_in() -> bool:
    """False when the request carries neither a session nor a remember-me cookie: then nobody is signed in, and
    the user need not be loaded (most trace-page visitors scan a bag and have neither)."""
    cookies = request.cookies
    config = current_app.config
    return config["SESSION_COOKIE_NAME"] in cookies or config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies


def select_locale() -> str:
    """``?lang=``, then the ``lang`` cookie, then the signed-in user's choice, then Accept-Language, else vi."""
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # a CLI command or a Celery task renders in the default language
        return default
    for chosen in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if chosen in languages:
            return chosen
    if may_be_signed_in() and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    # By primary subtag in the browser's order: werkzeug's best_match would prefer an exact
    # "en;q=0.5" to "vi-VN" listed first, and answer a Vietnamese phone in English.
    for tag, quality in request.accept_languages:
        primary = tag.replace("_", "-").split("-")[0].lower()
        if quality > 0 and primary in languages:
            return primary
    return default


def remember_locale(user, code: str) -> None:
    """Keep a signed-in user's language so their next device opens in it too."""
    if user.locale != code:
        user.locale = code
        db.session.commit()


def _locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def translate(message: str) -> str:
    """A message handed over at run time (e.g. a service's field error) in the reader's language.

    A ``core.messages.Message`` is translated by its template and its parameters are formatted for the reader
    (numbers with the locale's separators, dates as ``day``, nested messages translated); a plain string is looked
    up as it is, without %-formatting.
    """
    if not isinstance(message, Message):
        return gettext(message)
    text = gettext(message.template)
    if not message.params:
        return text
    return text % {name: _shown(value) for name, value in message.params.items()}


def _shown(value: object) -> str:
    if isinstance(value, Message):
        return translate(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Quantity):
        return number(value, digits=4, grouped=abs(value) >= 10_000)
    if isinstance(value, (Decimal, int, float)):
        return number(value, digits=4)
    if isinstance(value, (date, datetime)):
        return day(value)
    return str(value)


def money(amount: int | None) -> str:
    """VND has no minor unit: 250000 → '250.000 ₫' (vi) or '₫250,000' (en)."""
    if amount is None:
        return ""
    return format_currency(amount, "VND", locale=_locale(), currency_digits=True).translate(_CLDR_SPACES)


def number(value: Decimal | float | int | None, digits: int = 3, *, grouped: bool = True) -> str:
    """1250.5 → '1.250,5' (vi) or '1,250.5' (en); at most ``digits`` decimals, none padded; thousands not grouped
    when ``grouped`` is false ('1250,5')."""
    if value is None:
        return ""
    pattern = ("#,##0" if grouped else "0") + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale()).translate(_CLDR_SPACES)


def day(value: date | datetime | None) -> str:
    """27/11/2026 (vi) or 27 Nov 2026 (en); a datetime is first moved to Vietnam's time zone."""
    if value is None:
        return ""
    pattern = "dd/MM/yyyy" if _locale() == "vi" else "d MMM yyyy"
    if isinstance(value, datetime):
        return format_datetime(value, pattern)
    return format_date(value, pattern)


def moment(value: datetime | None) -> str:
    """'14:30 27/11/2026' (vi) or '27 Nov 2026, 14:30' (en) in Vietnam's time zone (naive means UTC)."""
    if value is None:
        return ""
    pattern = "HH:mm dd/MM/yyyy" if _locale() == "vi" else "d MMM yyyy, HH:mm"
    return format_datetime(value, pattern)


def set_language_cookie(response: Response, code: str) -> None:
    """Remember the reader's language on this device for a year."""
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )


def _vary_on_language(response: Response) -> Response:
    # The same URL answers in two languages, so shared caches must key on what chose it.
    if response.mimetype == "text/html":
        response.vary.update(("Cookie", "Accept-Language"))
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.root_path + "/translations"))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(money=money, number=number, day=day, moment=moment, translate=translate)
    app.jinja_env.globals.update(get_locale=get_locale, LANGUAGE_NAMES=LANGUAGE_NAMES)
    app.after_request(_vary_on_language)
