"""The public trace page (/t/<code>), its full lineage, and a lot's scan counts for its holder.

Opened by scanning a bag on a cheap phone, often on 3G, by every buyer of a lot:
the browser's copy is checked first (ETag and Last-Modified from the page's
version: one query, none while this process's memo of it is fresh; 304 when
current), then a visitor who is not signed in gets the copy rendered for that
version, which is built once per version and process. The page works without
JavaScript and sets no cookie for a visitor who has none. Every full page sent
to a person (not a robot or a link previewer) counts one view, added up in the
process and sent after the response has gone out (``scans.ViewTally``).
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from limits import parse
from werkzeug.http import is_resource_modified

from core import replay
from core.dates import parse_day
from core.errors import TooManyAttempts, ValidationError
from core.extensions import limiter
from core.i18n import may_be_signed_in
from core.static_files import fingerprint_of, static_fingerprint
from core.tasks import send_task
from traceability.errors import BatchNotFoundError
from traceability.identifiers import normalize_batch_code
from traceability.messages import TRACE_PAGES_TOO_FAST
from traceability.services import illustrations, scans, trace_page
from traceability.services.trace_page.version import memo as version_memo
from traceability.step_names import OPERATION_NAMES, STEP_NAMES
from traceability.views.batches import MEASUREMENT_LABELS

bp = Blueprint("trace", __name__)

CACHE_PUBLIC = "public, max-age=60"
# A signed-in visitor's page carries their own menu: keep it out of shared caches.
CACHE_PRIVATE = "private, max-age=0, must-revalidate"
CERTIFICATE_LABELS = {
    "vietgap": "VietGAP",
    "globalgap": "GLOBALG.A.P.",
    "organic": _l("Organic"),
    "rainforest_alliance": "Rainforest Alliance",
    "fairtrade": "Fairtrade",
}


def _labels() -> dict:
    return {
        "step_labels": STEP_NAMES,
        "operation_labels": OPERATION_NAMES,
        "measurement_labels": MEASUREMENT_LABELS,
        "certificate_labels": CERTIFICATE_LABELS,
    }


def _canonical(code: str, endpoint: str):
    """A code typed or printed another way ("ab12-cd34") is sent once and for all (301) to its stored form."""
    canonical = normalize_batch_code(code)
    if canonical != code and canonical:
        # The query string is carried over as it came, never as url_for arguments (?code=, ?_external= would steer it).
        query = urlencode(list(request.args.items(multi=True)))
        return redirect(url_for(endpoint, code=canonical) + (f"?{query}" if query else ""), code=301)
    return None


def _not_found(code: str):
    response = make_response(render_template("traceability/trace/not_found.html", code=code), 404)
    response.headers["Cache-Control"] = CACHE_PUBLIC
    return response


def page_etag(version_etag: str, fingerprint: str) -> str:
    """The trace page's entity tag: its version and the static files' (the page names them by versioned URLs)."""
    return f"{version_etag}-{fingerprint}"


def _etag(version: trace_page.Version) -> str:
    return page_etag(version.etag, static_fingerprint())


def count_view(app: Flask, batch_id: int, day) -> None:
    """Add one view to the app's tally and send the tally when it is due (one task for many views)."""
    tally = scans.tally_of(app)
    tally.add(batch_id, day)
    interval = app.config["SCAN_FLUSH_SECONDS"]
    if not tally.due(interval):
        return
    try:
        with app.app_context():
            tally.flush(lambda counts: send_task("traceability.record_scans", counts), interval)
    except Exception:  # a lost count must never break a page already sent; they go with the next send
        app.logger.warning("could not send the trace pages' view counts", exc_info=True)


def register_replay(app: Flask) -> None:
    """Let core.replay send a visitor's page again while this process knows its version has not moved."""

    def current(subject: tuple):
        code, variant, _batch_id = subject
        version = version_memo.get((code, variant), time.monotonic())
        if version is None:
            return None
        return page_etag(version.etag, fingerprint_of(app)), version.last_modified

    def sent(app: Flask, environ: dict, subject: tuple) -> None:
        if not scans.is_robot(environ.get("HTTP_USER_AGENT")):
            count_view(app, subject[2], scans.scan_day())

    replay.register_kind(app, "trace", current=current, sent=sent)


def _cache(response: Response, version: trace_page.Version, signed_in: bool) -> Response:
    response.set_etag(_etag(version), weak=True)
    response.last_modified = version.last_modified
    response.headers["Cache-Control"] = CACHE_PRIVATE if signed_in else CACHE_PUBLIC
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def _count_view_after_response(response: Response, batch_id: int) -> None:
    """Count this view once the response is sent: the visitor never waits for it, and nothing about them is kept."""
    app = current_app._get_current_object()
    day = scans.scan_day()
    response.call_on_close(lambda: count_view(app, batch_id, day))


def _limit_builds() -> None:
    """Building a page reads the lot's whole story: a client may make ``TRACE_BUILDS_PER_MINUTE`` of them (new
    versions, unknown codes, signed-in pages) a minute. Copies already built and 304s are not limited: they cost
    less than counting them would."""
    limit = parse(f"{current_app.config['TRACE_BUILDS_PER_MINUTE']} per minute")
    if not limiter.limiter.hit(limit, "trace-build", get_remote_address()):
        reset = int(limiter.limiter.get_window_stats(limit, "trace-build", get_remote_address()).reset_time)
        seconds = max(1, reset - int(time.time()))
        raise TooManyAttempts(TRACE_PAGES_TOO_FAST(seconds=seconds), retry_after=seconds)


def _signed_in() -> bool:
    """Whether the visitor is signed in; a visitor without a session cookie is not, and loads no user."""
    return may_be_signed_in() and current_user.is_authenticated


# The default per-client limit is left to _limit_builds: a page sent from its built copy costs less than the check.
@bp.get("/t/<code>")
@limiter.exempt
def page(code: str):
    moved = _canonical(code, "trace.page")
    if moved is not None:
        return moved
    signed_in = _signed_in()
    try:
        variant = f"{get_locale()}|{current_user.get_id() if signed_in else '-'}"
        version = trace_page.page_version(code, variant)
    except BatchNotFoundError:
        _limit_builds()
        return _not_found(code)
    etag = _etag(version)
    # Anonymous answers depend only on the request's language and encoding: the replay layer may send them again.
    shared = not signed_in and not session.get("_flashes")  # no menu or message of the visitor's own
    if shared:
        replay.mark("trace", (code, variant, version.batch_id), etag=etag)
    if not is_resource_modified(request.environ, etag=f'W/"{etag}"', last_modified=version.last_modified):
        return _cache(Response(status=304), version, signed_in)

    def render() -> bytes:
        _limit_builds()
        data = trace_page.build_trace_page(version)
        return render_template("traceability/trace/page.html", **data, **_labels()).encode()

    if not shared:
        body = render()
    else:
        cache = trace_page.pages_of(current_app)
        body = cache.get_or_build(etag, render, current_app.config["TRACE_PAGE_CACHE_MB"] << 20)
    response = _cache(Response(body, mimetype="text/html"), version, signed_in)
    if request.method == "GET" and not scans.is_robot(request.user_agent.string):
        _count_view_after_response(response, version.batch_id)
    return response


@bp.get("/t/<code>/lineage")
def lineage(code: str):
    moved = _canonical(code, "trace.lineage")
    if moved is not None:
        return moved
    try:
        listing = trace_page.lineage_listing(code, page=request.args.get("page", 1, type=int))
    except BatchNotFoundError:
        return _not_found(code)
    response = make_response(render_template("traceability/trace/lineage.html", **listing))
    response.headers["Cache-Control"] = CACHE_PRIVATE if current_user.is_authenticated else CACHE_PUBLIC
    return response


@bp.get("/illustrations/<any(cashew, pepper, rubber):commodity>.png")
def illustration(commodity: str):
    response = Response(illustrations.commodity_png(commodity), mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/batches/<code>/scans")
@login_required
def batch_scans(code: str):
    """How often the lot's trace page was opened, day by day, for whoever may act for its holder."""
    start = parse_day(request.args.get("start"))
    end = parse_day(request.args.get("end"))
    try:
        counts = scans.scan_counts(current_user, code, start=start, end=end)
    except ValidationError:
        counts = scans.scan_counts(current_user, code)
    return render_template("traceability/trace/scans.html", **counts)
