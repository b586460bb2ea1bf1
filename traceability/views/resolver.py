"""GS1 Digital Link resolver: /01/<gtin>/10/<lot>[...] and /.well-known/gs1resolver.

Phones scanning a bag follow the 307 redirect to the trace page; machines ask
for the linkset (``?linkType=linkset`` or ``Accept: application/linkset+json``).
Errors follow the caller: a browser (Accept prefers text/html) gets a friendly
page, anything else RFC 7807 problem JSON, with the same status either way:
400 for a malformed link or a wrong GTIN check digit, 404 for an unknown lot or
a link type we do not serve.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import Blueprint, current_app, redirect, render_template, request
from flask_babel import gettext as _

from core.errors import DomainError, TooManyAttempts, problem_response
from core.extensions import limiter, resolver_limit
from traceability import digital_link
from traceability.messages import RESOLVER_TOO_FAST
from traceability.services import resolver

bp = Blueprint("resolver", __name__)

LINKSET_MEDIA_TYPES = ("application/linkset+json", "application/json")
LINKSET_CONTENT_TYPE = "application/linkset+json"


def _raw_path() -> str:
    """The path as sent, still percent-encoded: a lot may contain an encoded "/" (%2F) that must not split it."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if not raw:
        return request.path
    path = urlsplit(raw).path
    prefix = request.environ.get("SCRIPT_NAME", "")
    if prefix and path.startswith(prefix):
        path = path[len(prefix) :]
    # The raw form must name the same resource as the decoded one; otherwise trust the decoded path.
    return path if unquote(path) == request.path else request.path


def _prefers_linkset() -> bool:
    return request.accept_mimetypes.best_match(["text/html", *LINKSET_MEDIA_TYPES]) in LINKSET_MEDIA_TYPES


def _json(body: dict, content_type: str):
    response = current_app.json.response(body)
    response.mimetype = content_type
    return response


@bp.errorhandler(DomainError)
def _error(error: DomainError):
    wanted = request.accept_mimetypes.best_match(["application/problem+json", "application/json", "text/html"])
    if wanted == "text/html":
        if error.status == 429:
            title, message = (_("Please wait a little"), _("Too many attempts. Please wait a little and try again."))
        elif error.status == 404:
            title, message = (
                _("Product lot not found"),
                _("We could not find this product lot. Check the code printed on the label."),
            )
        else:
            title, message = (
                _("Not a valid product link"),
                _("This address is not a valid product code. Scan the label again or check the address."),
            )
        response = current_app.make_response(
            (render_template("errors/error.html", status=error.status, title=title, message=message), error.status)
        )
    else:
        response = problem_response(
            error.status, error.title, error.detail, code=error.code, errors=error.errors or None
        )
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after)
    response.vary.add("Accept")
    return response


@bp.errorhandler(429)
def _too_many(error):
    """Past RESOLVER_REQUESTS_PER_MINUTE: a page for people, problem JSON for machines, as every other refusal."""
    retry = {"Retry-After": error.get_response().headers.get("Retry-After", "60")}
    return _error(TooManyAttempts(RESOLVER_TOO_FAST, retry_after=int(retry["Retry-After"])))


@bp.get("/01/<path:rest>")
@limiter.shared_limit(resolver_limit, scope="resolver")
def resolve(rest: str):
    link = digital_link.parse(_raw_path(), request.args.to_dict())
    link_type = request.args.get("linkType")
    if resolver.wants_linkset(link_type) or (link_type is None and _prefers_linkset()):
        response = _json(resolver.linkset(link), LINKSET_CONTENT_TYPE)
    else:
        response = redirect(resolver.target(link, link_type), code=307)
        linkset_url = link.uri(current_app.config["PUBLIC_BASE_URL"]) + "?linkType=linkset"
        response.headers["Link"] = f'<{linkset_url}>; rel="linkset"; type="{LINKSET_CONTENT_TYPE}"'
    response.vary.add("Accept")
    return response


@bp.get("/.well-known/gs1resolver")
@limiter.shared_limit(resolver_limit, scope="resolver")
def description():
    response = _json(resolver.description(), "application/json")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
