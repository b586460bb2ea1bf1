"""Site-wide pages: home, the lot-code form, the language switch and the offline API docs' assets."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user
from swagger_ui_bundle import swagger_ui_path

from core.i18n import remember_locale, set_language_cookie
from core.navigation import menu_context

bp = Blueprint("core", __name__)

# Lot codes printed under the QR code: letters and digits once spaces and dashes are gone.
LOT_CODE = re.compile(r"[A-Z0-9]{1,32}")
SWAGGER_UI_ASSETS = "/api/docs/assets/"


@bp.app_context_processor
def layout_helpers() -> dict:
    """What base.html needs to build its navigation without breaking on a feature not yet installed."""

    def has_endpoint(name: str) -> bool:
        return name in current_app.view_functions

    return {
        "has_endpoint": has_endpoint,
        "current_path": _path_without_lang,
        "site_menu": menu_context,
        "lot_code_hint": lot_code_hint,
    }


def lot_code_hint() -> str:
    """How a lot code looks, from the format its domain registered (``LOT_CODE_LENGTH``, ``LOT_CODE_EXAMPLE``)."""
    config = current_app.config
    if not config.get("LOT_CODE_EXAMPLE"):
        return _("The code printed under the QR code.")
    return _(
        "The %(length)d letters and digits printed under the QR code, for example %(example)s.",
        length=config["LOT_CODE_LENGTH"],
        example=config["LOT_CODE_EXAMPLE"],
    )


def _bad_code_message() -> str:
    config = current_app.config
    if not config.get("LOT_CODE_EXAMPLE"):
        return _("Type the code printed under the QR code.")
    return _(
        "Type the code printed under the QR code: %(length)d letters and digits, for example %(example)s.",
        length=config["LOT_CODE_LENGTH"],
        example=config["LOT_CODE_EXAMPLE"],
    )


def _path_without_lang() -> str:
    """The current page as a ``next`` target; ``?lang=`` is dropped or it would overrule the switch."""
    query = [(key, value) for key, value in parse_qsl(request.query_string.decode("latin-1")) if key != "lang"]
    return request.path + ("?" + urlencode(query) if query else "")


@bp.get("/")
def home():
    return render_template("core/home.html")


def normalize_lot_code(raw: str | None) -> str:
    """'ab-12 cd' → 'AB12CD': people copy codes with the spaces and dashes of the printed label."""
    return re.sub(r"[\s\-‐-―]+", "", raw or "").upper()


@bp.get("/trace")
def trace():
    code = normalize_lot_code(request.args.get("code"))
    if not LOT_CODE.fullmatch(code):
        flash(_bad_code_message(), "error")
        return redirect(url_for("core.home") + "#trace")
    return redirect("/t/" + code)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a language link must not become an open redirect."""
    if not target:
        return url_for("core.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("core.home")
    return target


@bp.post("/lang/<code>")
def switch_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        code = current_app.config["BABEL_DEFAULT_LOCALE"]
    response = redirect(_safe_next(request.form.get("next")), code=303)
    set_language_cookie(response, code)
    if current_user.is_authenticated:
        remember_locale(current_user, code)
    return response


@bp.get("/lang/<code>")
def switch_language_link(code: str):
    """The same switch as a link, for visitors' pages that carry no form (and so set no session cookie): it sets the
    language cookie only, never a signed-in user's stored choice (a link can be followed from anywhere)."""
    if code not in current_app.config["LANGUAGES"]:
        code = current_app.config["BABEL_DEFAULT_LOCALE"]
    response = redirect(_safe_next(request.args.get("next")), code=303)
    set_language_cookie(response, code)
    return response


@bp.get(SWAGGER_UI_ASSETS + "<path:filename>")
def swagger_ui_asset(filename: str):
    """Swagger UI's scripts from the pinned ``swagger-ui-bundle`` wheel: the docs work without a CDN."""
    return send_from_directory(swagger_ui_path, filename, max_age=24 * 3600)
