"""Domain errors and the one place that turns them into HTTP answers.

Services raise these; they never build responses. Under ``/api`` every error is
RFC 7807 problem JSON; pages get a friendly page in the user's language.

Every error carries a machine-readable ``code``: the code of its ``detail`` when
that is a ``core.messages.Message``, else its class's. Problem JSON shows it
beside the English ``detail``; pages translate the message where they show it.
Code that tells one refusal from another compares ``error.code``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from core.messages import code_of

PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    status = 400
    title = "Bad request"
    code = "bad_request"

    def __init__(self, detail: str, *, errors: dict[str, list[str]] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}
        self.extra = extra
        self.code = code_of(detail) or type(self).code


class ValidationError(DomainError):
    status = 422
    title = "Unprocessable entity"
    code = "invalid"


class AuthenticationError(DomainError):
    status = 401
    title = "Unauthorized"
    code = "unauthorized"


class PermissionDenied(DomainError):
    status = 403
    title = "Forbidden"
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    title = "Not found"
    code = "not_found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"
    code = "conflict"


class TooManyAttempts(DomainError):
    status = 429
    title = "Too many requests"
    code = "too_many_attempts"

    def __init__(self, detail: str, *, retry_after: int, **extra: Any):
        super().__init__(detail, **extra)
        self.retry_after = retry_after


def wants_problem_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def problem_response(
    status: int, title: str, detail: str | None = None, *, code: str | None = None, errors=None, headers=None, **extra
):
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    body["code"] = code or _code_of_title(title)
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _code_of_title(title: str) -> str:
    """ "Unprocessable Entity" → "unprocessable_entity": the code of an HTTP error that carries none of its own."""
    return "_".join(title.lower().replace("-", " ").replace("'", "").split())


def _error_page(status: int, headers=None):
    messages = {
        400: _("The request could not be understood. Please check what you entered and try again."),
        401: _("Please sign in to continue."),
        403: _("You do not have permission to open this page."),
        404: _("We could not find this page. Check the address or go back to the home page."),
        405: _("This action is not allowed here."),
        409: _("This could not be done because something changed in the meantime. Please reload and try again."),
        413: _("The file is too large."),
        422: _("Some of what you entered is not valid. Please correct it and try again."),
        429: _("Too many attempts. Please wait a little and try again."),
        500: _("Something went wrong on our side. Please try again in a moment."),
        503: _("The service is temporarily unavailable. Please try again in a moment."),
    }
    titles = {
        400: _("Something is not right"),
        401: _("Please sign in"),
        403: _("Not allowed"),
        404: _("Page not found"),
        405: _("Not allowed"),
        409: _("Something changed"),
        413: _("File too large"),
        422: _("Please check what you entered"),
        429: _("Please wait a little"),
        500: _("Something went wrong"),
        503: _("Temporarily unavailable"),
    }
    fallback = 500 if status >= 500 else 400
    message = messages.get(status, messages[fallback])
    title = titles.get(status, titles[fallback])
    body = render_template("errors/error.html", status=status, title=title, message=message)
    return body, status, headers or {}


def _flatten_webargs(messages: Any) -> dict[str, list[str]]:
    """webargs nests errors by location ({"json": {"field": [...]}}); clients want fields."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            flat.setdefault(prefix or "_schema", []).extend(value)
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(f"{prefix}.{index}", inner)
        else:
            flat.setdefault(prefix or "_schema", []).append(str(value))

    for location, fields in (messages or {}).items():
        if location in {"json", "query", "form", "files", "headers", "view_args", "path", "json_or_form"}:
            walk("", fields)
        else:
            walk(str(location), fields)
    return flat


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    headers = {}
    if error.get_response().headers.get("Retry-After"):
        headers["Retry-After"] = error.get_response().headers["Retry-After"]
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    if wants_problem_json():
        data = getattr(error, "data", None) or {}
        errors = _flatten_webargs(data.get("messages")) if "messages" in data else None
        detail = data.get("message") or error.description
        if errors:
            detail = "The request has invalid fields; see errors."
        code = "invalid_fields" if errors else None
        return problem_response(status, error.name, detail, code=code, errors=errors, headers=headers)
    return _error_page(status, headers)


def handle_domain_error(error: DomainError):
    headers = {}
    if isinstance(error, TooManyAttempts):
        headers["Retry-After"] = str(error.retry_after)
    if wants_problem_json():
        return problem_response(
            error.status,
            error.title,
            error.detail,
            code=error.code,
            errors=error.errors or None,
            headers=headers,
            **error.extra,
        )
    return _error_page(error.status, headers)


def handle_unexpected(error: Exception):
    current_app.logger.exception("unhandled error", exc_info=error)
    if wants_problem_json():
        return problem_response(
            500, "Internal server error", "Something went wrong on our side.", code="internal_error"
        )
    return _error_page(500)


def register_errorhandlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
