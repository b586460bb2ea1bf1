"""What the JSON API reads from a request body, checked once for every endpoint.

- **JSON is loaded in one place** (``load_json``), for Flask's ``request.get_json()`` (the app's JSON provider)
  and for the API's argument parser alike. It refuses, as a 400 problem with a code, what Python's decoder would
  turn into a 500 or into a value no field means: nesting deeper than ``MAX_DEPTH`` (the C decoder recurses per
  level: a few thousand ``[`` were a ``RecursionError``), an integer of more digits than Python converts
  (``ValueError``), ``NaN``/``Infinity`` (not JSON, RFC 8259) and numbers too large for a float (``1e999`` is
  infinity). ``request.get_json(silent=True)`` still answers None for any of these.
- **No NUL character** (U+0000) in any text the request carries, JSON strings, the path, the query and form
  fields (``refuse_nul_characters``): no field means one, and PostgreSQL cannot store one in text (it was a 500).
- **A body must be of a type the endpoint reads** (``refuse_unreadable_body``): a JSON body sent as
  ``text/plain`` or form-encoded used to be read as no body at all ("missing field"). An API request with a body
  whose ``Content-Type`` the endpoint does not read gets 415 naming the types it does. What an endpoint reads is
  what it declares to flask-smorest (``@blp.arguments`` in ``json``, ``form`` or ``files``, or a documented
  ``requestBody``): the same declarations the OpenAPI document is made of, so the two cannot disagree. An
  endpoint that declares no body ignores one.
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Flask, Request, current_app, request
from flask.json.provider import DefaultJSONProvider
from webargs import core as webargs_core
from webargs.flaskparser import FlaskParser

from core.errors import DomainError
from core.messages import N_, Message

MAX_DEPTH = 32  # objects and arrays inside each other; GeoJSON needs 6, an EPCISDocument about 10
JSON_TYPES = ("application/json",)  # and every application/*+json (application/ld+json, ...)
_LOCATION_TYPES = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
    "files": "multipart/form-data",
}
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

JSON_INVALID = Message("invalid_json", N_("The body is not valid JSON: %(reason)s."))
JSON_TOO_DEEP = Message("json_too_deep", N_("The JSON body is nested more than %(limit)s levels deep."))
JSON_NOT_UTF8 = Message("invalid_json", N_("The JSON body is not UTF-8 text."))
JSON_NUMBER_TOO_LARGE = Message("json_number_too_large", N_("A number in the JSON body is too large."))
JSON_NOT_A_NUMBER = Message("json_not_a_number", N_("NaN and Infinity are not JSON numbers."))
NUL_CHARACTER = Message("nul_character", N_("Text may not contain the NUL character (U+0000)."))
UNSUPPORTED_TYPE = Message(
    "unsupported_media_type", N_("This endpoint reads a body of type %(expected)s, not %(given)s.")
)


class UnreadableRequest(DomainError):
    """400: a request the API cannot read; its message gives the code (``invalid_json``, ``json_too_deep``,
    ``nul_character``, ...)."""

    status = 400
    title = "Bad request"
    code = "invalid_json"


class UnsupportedMediaType(DomainError):
    status = 415
    title = "Unsupported media type"
    code = "unsupported_media_type"


class JsonRefused(ValueError):
    """Raised by ``load_json``: a ``ValueError``, so that ``get_json(silent=True)`` silences it as Flask documents."""

    def __init__(self, message: Message):
        super().__init__(str(message))
        self.message = message


def _refuse_constant(name: str) -> Any:
    raise JsonRefused(JSON_NOT_A_NUMBER)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonRefused(JSON_NUMBER_TOO_LARGE)
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # more digits than sys.get_int_max_str_digits()
        raise JsonRefused(JSON_NUMBER_TOO_LARGE) from None


def load_json(data: bytes | str) -> Any:
    """``data`` decoded as JSON; ``JsonRefused`` with a coded message for anything the API cannot take."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise JsonRefused(JSON_NOT_UTF8) from None
    try:
        value = json.loads(data, parse_constant=_refuse_constant, parse_float=_finite_float, parse_int=_int)
    except RecursionError:
        raise JsonRefused(JSON_TOO_DEEP(limit=MAX_DEPTH)) from None
    except json.JSONDecodeError as error:
        reason = f"{error.msg} at line {error.lineno}, column {error.colno}"
        raise JsonRefused(JSON_INVALID(reason=reason)) from None
    _check_depth(value)
    return value


def _check_depth(value: Any) -> None:
    """Refuse nesting past ``MAX_DEPTH`` and NUL characters in strings and keys (without recursing: the walk itself
    must not overflow the stack)."""
    if isinstance(value, str) and "\x00" in value:
        raise JsonRefused(NUL_CHARACTER)
    stack = [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise JsonRefused(JSON_TOO_DEEP(limit=MAX_DEPTH))
        if isinstance(node, dict) and any("\x00" in key for key in node):
            raise JsonRefused(NUL_CHARACTER)
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
            elif isinstance(child, str) and "\x00" in child:
                raise JsonRefused(NUL_CHARACTER)


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, loading through ``load_json`` (``request.get_json()`` and ``request.json``)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return load_json(s)


class ApiRequest(Request):
    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if isinstance(e, JsonRefused):
            raise UnreadableRequest(e.message)
        return super().on_json_loading_failed(e)


class JsonBodyParser(FlaskParser):
    """webargs' parser for the API, reading JSON through ``load_json``; an empty body is no body, as in webargs."""

    def _raw_load_json(self, req: Request) -> Any:
        if not webargs_core.is_json(req.mimetype):
            return webargs_core.missing
        data = req.get_data(cache=True)
        if not data.strip():
            return webargs_core.missing
        try:
            return load_json(data)
        except JsonRefused as refused:
            raise UnreadableRequest(refused.message) from None


def _is_json(mimetype: str) -> bool:
    return webargs_core.is_json(mimetype)


def _declared_types(view: Any, method: str) -> tuple[str, ...]:
    """The body types the endpoint declares to flask-smorest for ``method`` (none: it reads no body)."""
    handler = getattr(getattr(view, "view_class", None), method.lower(), None) or view
    doc = getattr(handler, "_apidoc", None) or {}
    types: list[str] = []
    for parameter in doc.get("arguments", {}).get("parameters", []):
        location = parameter.get("in")
        if location in _LOCATION_TYPES:
            types.append(parameter.get("content_type") or _LOCATION_TYPES[location])
    types += doc.get("manual_doc", {}).get("requestBody", {}).get("content", {}).keys()
    return tuple(dict.fromkeys(types))


def _accepted_types(endpoint: str, method: str) -> tuple[str, ...]:
    known = current_app.extensions.setdefault("nongsan.body_types", {})
    if (endpoint, method) not in known:
        known[(endpoint, method)] = _declared_types(current_app.view_functions[endpoint], method)
    return known[(endpoint, method)]


def _has_body() -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def refuse_unreadable_body() -> None:
    """``before_request``: 415 for an API request whose body is of a type its endpoint does not read."""
    if request.method not in _BODY_METHODS or not request.path.startswith("/api/") or request.endpoint is None:
        return
    if not _has_body():
        return
    accepted = _accepted_types(request.endpoint, request.method)
    if not accepted:
        return
    given = request.mimetype
    if given in accepted or (_is_json(given) and any(_is_json(kind) for kind in accepted)):
        return
    raise UnsupportedMediaType(
        UNSUPPORTED_TYPE(expected=" or ".join(accepted), given=given or "none"), accepted=list(accepted)
    )


def _has_nul(pairs) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in pairs)


def refuse_nul_characters() -> None:
    """``before_request``: 400 for a NUL character in the path, the query or form fields (JSON: ``load_json``)."""
    form = request.method in _BODY_METHODS and request.mimetype in (_LOCATION_TYPES["form"], _LOCATION_TYPES["files"])
    if (
        "\x00" in request.path
        or _has_nul(request.args.items(multi=True))
        or (form and _has_nul(request.form.items(multi=True)))
    ):
        raise UnreadableRequest(NUL_CHARACTER)


def init_request_bodies(app: Flask) -> None:
    """Load JSON through ``load_json`` and refuse unreadable API bodies; before the Idempotency-Key is claimed, so a
    refused body never holds a key."""
    app.json = JSONProvider(app)
    app.request_class = ApiRequest
    app.before_request(refuse_nul_characters)
    app.before_request(refuse_unreadable_body)
