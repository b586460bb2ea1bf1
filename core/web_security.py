"""Security headers on every response: a strict Content-Security-Policy, no framing, no sniffing, a short referrer,
and HSTS in production over HTTPS.

The policy is built once from the configuration: our own origin, Stripe.js where card payments are set up
(``STRIPE_JS_URL``'s origin, Stripe's API and its 3-D Secure frames) and the map's tile server (``MAP_TILE_URL``'s
origin) for images. No inline script runs anywhere (data for scripts travels in ``<script type="application/json">``
blocks, which are not executed). Two kinds of inline style are allowed, each narrowly:

- the rules that the trace and marketplace pages inline to save a request on 3G come from files in ``static/``
  (``INLINE_STYLES``, printed with ``inline_style(name)``) and are allowed by their SHA-256 hash, the same for
  every response: these pages are replayed to visitors byte for byte (``core/replay.py``), headers included, so
  their policy must not change per response;
- a page that needs a style made per response (the report charts, drawn by pygal) asks for ``style_nonce()``;
  that response's policy then carries the nonce. ``core/replay.py`` never keeps an answer with a nonce, which a
  second visitor would otherwise receive again.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request
from markupsafe import Markup

INLINE_STYLES = ("trace.css", "market.css")
# Stripe's own origins for Stripe.js (its API and the frames of its card field and of 3-D Secure), as Stripe's
# documentation lists them for a Content-Security-Policy.
STRIPE_CONNECT = ("https://api.stripe.com",)
STRIPE_FRAMES = ("https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com")
_NONCE = "nongsan.style_nonce"


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in {"http", "https"} and parts.netloc else None


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _directives(config: dict[str, Any], styles: dict[str, str]) -> dict[str, list[str]]:
    stripe_js = _origin(config.get("STRIPE_JS_URL") or "") if config.get("STRIPE_PUBLISHABLE_KEY") else None
    tiles = _origin(config.get("MAP_TILE_URL") or "")
    return {
        "default-src": ["'self'"],
        "script-src": ["'self'", *([stripe_js] if stripe_js else [])],
        "style-src": ["'self'", *(_hash(css) for css in styles.values())],
        "img-src": ["'self'", "data:", *([tiles] if tiles else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'", *([stripe_js, *STRIPE_CONNECT] if stripe_js else [])],
        "frame-src": [stripe_js, *STRIPE_FRAMES] if stripe_js else ["'none'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }


def _render(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(dict.fromkeys(values))}" for name, values in directives.items())


def inline_style(name: str) -> Markup:
    """``<style>`` with the contents of ``static/<name>`` (one of ``INLINE_STYLES``), allowed by its hash."""
    return Markup("<style>{}</style>").format(Markup(current_app.extensions["nongsan.inline_styles"][name]))


def style_nonce() -> str:
    """This response's nonce for an inline ``<style nonce=...>``; the response's policy allows it."""
    if _NONCE not in g:
        setattr(g, _NONCE, secrets.token_urlsafe(18))
    return getattr(g, _NONCE)


def content_security_policy() -> str:
    """The policy of the current response (with its style nonce, when the page asked for one)."""
    policy = current_app.extensions["nongsan.csp"]
    nonce = g.get(_NONCE)
    if nonce is None:
        return policy["header"]
    directives = dict(policy["directives"])
    directives["style-src"] = [*directives["style-src"], f"'nonce-{nonce}'"]
    return _render(directives)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    # A view may send a stricter policy of its own (the QR code's SVG: nothing at all, sandboxed): it stays.
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers["X-Frame-Options"] = "DENY"  # frame-ancestors' older spelling, for browsers without CSP 2
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    seconds = current_app.config["HSTS_SECONDS"]
    if seconds and current_app.config["NONGSAN_ENV"] == "production" and request.is_secure:
        headers["Strict-Transport-Security"] = f"max-age={seconds}"
    return response


def init_web_security(app: Flask) -> None:
    folder = Path(app.static_folder or "static")
    styles = {name: (folder / name).read_text(encoding="utf-8") for name in INLINE_STYLES}
    directives = _directives(app.config, styles)
    app.extensions["nongsan.inline_styles"] = styles
    app.extensions["nongsan.csp"] = {"directives": directives, "header": _render(directives)}
    app.jinja_env.globals.update(inline_style=inline_style, style_nonce=style_nonce)
    app.after_request(add_security_headers)
