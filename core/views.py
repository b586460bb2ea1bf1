"""Site-wide pages: home and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from core.extensions import db
from core.i18n import LANG_COOKIE

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    return render_template("core/home.html")


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a language link must not become an open redirect."""
    if not target:
        return url_for("core.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("core.home")
    return target


@bp.post("/lang/<code>")
def switch_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        code = current_app.config["BABEL_DEFAULT_LOCALE"]
    response = redirect(_safe_next(request.form.get("next")), code=303)
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    return response
