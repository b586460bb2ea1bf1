"""Field capture without signal: the web app manifest, the service worker, and forms that answer a queued send.

A farmer on a hill with no signal still records the harvest, the drying step with its photo, or a split.
``static/js/offline.js`` keeps each submission in the phone's IndexedDB under an id made on the phone and
sends it when the connection returns, to the form's own URL, with:

- ``Idempotency-Key: <that id>``: ``core.idempotency`` keeps the first answer, so a send retried three
  times (the answer lost each time) creates one record;
- ``X-CSRFToken``: a token fetched at sync time from ``GET /offline/session``, never the one in the page
  kept for hours: the session cookie authenticates the send, as it did the page. The session lasts
  ``PERMANENT_SESSION_LIFETIME`` (30 days by default), so a queue held a day offline still goes out; once
  the person has signed out (or the session ended), ``/offline/session`` answers 401 and the queue waits,
  nothing lost, until they sign in again. A queued item remembers who queued it and is only sent for them
  (``X-Queued-For``: the server refuses it under anyone else's session);
- ``Accept: application/json``: the form answers 201 with where the new record is, or 422/409 with its
  messages already in the reader's language, which the queue shows on the item to fix or discard.

Pages opt in with ``form_done`` and ``form_refused`` (below) in place of their redirect and re-render.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from core.errors import DomainError, problem_response
from core.i18n import translate
from core.messages import N_, Message

bp = Blueprint("offline", __name__)
QUEUED_FOR_ANOTHER = Message(
    "queued_for_another_user", N_("This was recorded on this phone by another person: they must sign in to send it.")
)
STATIC = Path(__file__).resolve().parent.parent / "static"


def wants_json() -> bool:
    """A queued send from offline.js (it asks for JSON); a browser's own form post asks for HTML."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def form_done(url: str, message: str, category: str = "success"):
    """After a form did its work: the redirect for a browser, or 201 with ``url`` for a queued send.

    The message is flashed either way, so the page the queue opens next shows it too.
    """
    flash(message, category)
    if not wants_json():
        return redirect(url, code=303)
    response = jsonify({"url": url, "message": str(message)})
    response.status_code = 201
    response.headers["Location"] = url
    return response


def form_refused(error: DomainError, errors: dict[str, list] | None = None) -> Response:
    """A refusal for a queued send: problem JSON whose texts are already in the reader's language."""
    fields = errors if errors is not None else error.errors
    body = {
        "type": "about:blank",
        "title": error.title,
        "status": error.status,
        "code": error.code,
        "detail": translate(error.detail),
        "errors": {field: [translate(message) for message in messages] for field, messages in fields.items()},
    }
    response = jsonify(body)
    response.status_code = error.status
    response.mimetype = "application/problem+json"
    return response


QUEUED_FOR = "X-Queued-For"


@bp.before_app_request
def _only_for_who_queued_it():
    """A queued send names who recorded it; under anyone else's session (a shared phone) it is refused, never
    recorded in the wrong organization. The queue keeps it for its owner's next sign-in."""
    queued_for = request.headers.get(QUEUED_FOR)
    if request.method != "POST" or queued_for is None:
        return None
    if current_user.is_authenticated and queued_for == str(current_user.id):
        return None
    response = problem_response(
        403, "Forbidden", QUEUED_FOR_ANOTHER(), code=QUEUED_FOR_ANOTHER.code, headers={"X-Queued-For-Other": "1"}
    )
    return response


@bp.get("/offline/session")
def session_token():
    """Who the phone's queue sends for, and a fresh CSRF token for the sends; 401 once signed out."""
    if not current_user.is_authenticated:
        response = jsonify({"signed_in": False})
        response.status_code = 401
    else:
        response = jsonify({"signed_in": True, "user": current_user.id, "csrf_token": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/offline")
def offline_page():
    """What the service worker shows for a page it never kept, when there is no signal."""
    return render_template("core/offline.html")


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the site's root so that its scope is the whole site."""
    response = Response((STATIC / "js" / "sw.js").read_bytes(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"  # a new version must reach phones at their next visit
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    response = Response((STATIC / "manifest.webmanifest").read_bytes(), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
