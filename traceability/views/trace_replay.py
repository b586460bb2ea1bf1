"""Trace pages answered before Flask: what Flask sent for the same request, replayed while its version holds.

A bag's QR code is scanned by every buyer of the lot, mostly by visitors who are not signed in and send no cookie
but the language one. For such a request the answer depends only on the lot's page version and on the request's
path, query, ``Accept-Language``, ``Accept-Encoding`` and ``lang`` cookie. So the first time Flask answers one
(``trace.page`` marks the request as replayable), this layer keeps the status, headers and body exactly as Flask
and every after-request hook made them (compression, Vary, cache and security headers), under those inputs. The
next such request, while this process's memo still holds the same version for the lot
(``trace_page.version.memo``, ``TRACE_VERSION_TTL``), is answered from that copy: a 304 when the browser's copy
matches, the body otherwise, with its own request id, its log line and its view count, and without Flask's
request machinery or the database. When the memo has expired, or the version moved, the request goes to Flask,
which reads the version again and keeps the new answer.

Anything else (another method, a signed-in visitor, a session or other cookie, an Authorization header, another
query, another path) goes to Flask untouched.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask
from werkzeug.http import http_date, is_resource_modified, parse_cookie

from core.i18n import LANG_COOKIE
from core.logging import log_request, request_id
from core.static_files import fingerprint_of
from core.tasks import send_task
from traceability.services import scans
from traceability.services.trace_page.version import memo

# Set by trace.page on a response that may be replayed: (lot code, version variant, weak etag value, lot id).
REPLAYABLE = "nongsan.trace_replay"
_QUERIES = {"", "lang=vi", "lang=en"}
_NOT_MODIFIED_DROPS = {"content-length", "content-type", "content-encoding"}
_NOT_KEPT = {"x-request-id", "date", "set-cookie"}  # per response (Date is sent fresh when Flask sent one)


@dataclass(frozen=True)
class Answer:
    code: str
    variant: str
    etag: str
    batch_id: int
    status: int  # 200 or 304
    headers: tuple[tuple[str, str], ...]
    body: bytes
    dated: bool  # Flask sent a Date header


def page_etag(version_etag: str, fingerprint: str) -> str:
    """The trace page's entity tag: its version and the static files' (the page names them by versioned URLs)."""
    return f"{version_etag}-{fingerprint}"


def _key(environ: dict) -> tuple | None:
    """What the answer depends on, or None when this request is not one to replay."""
    if environ.get("REQUEST_METHOD") != "GET" or environ.get("HTTP_AUTHORIZATION"):
        return None
    path = environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    if not path.startswith("/t/") or "/" in path[3:] or query not in _QUERIES:
        return None
    cookie = environ.get("HTTP_COOKIE")
    language = None
    if cookie:
        cookies = parse_cookie(cookie)
        if set(cookies) - {LANG_COOKIE}:
            return None
        language = cookies.get(LANG_COOKIE)
    return (
        path,
        query,
        environ.get("HTTP_ACCEPT_LANGUAGE", ""),
        environ.get("HTTP_ACCEPT_ENCODING", ""),
        language,
    )


class TraceReplay:
    """WSGI middleware around the app (installed by ``traceability.init_app``)."""

    def __init__(self, wsgi_app, app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app
        self._answers: OrderedDict[tuple, Answer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response):
        key = _key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        with self._lock:
            answer = self._answers.get(key)
        if answer is not None:
            version = memo.get((answer.code, answer.variant), time.monotonic())
            current = version and page_etag(version.etag, fingerprint_of(self.app)) == answer.etag
            if current:
                modified = is_resource_modified(environ, etag=f'W/"{answer.etag}"', last_modified=version.last_modified)
                if not modified:
                    return self._send(environ, start_response, answer, 304, started)
                if answer.status == 200:
                    return self._send(environ, start_response, answer, 200, started)
        return self._through(key, environ, start_response)

    def _send(self, environ: dict, start_response, answer: Answer, status: int, started: float):
        identifier = request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        headers = [
            (name, value) for name, value in answer.headers if status == 200 or name.lower() not in _NOT_MODIFIED_DROPS
        ]
        headers.append(("X-Request-ID", identifier))
        if answer.dated:
            headers.append(("Date", http_date()))
        start_response("200 OK" if status == 200 else "304 NOT MODIFIED", headers)
        log_request(
            request_id=identifier,
            method="GET",
            path=environ.get("PATH_INFO", ""),
            endpoint="trace.page",
            status=status,
            started=started,
        )
        if status == 304:
            return []
        if scans.is_robot(environ.get("HTTP_USER_AGENT")):
            return [answer.body]
        return _Counted(answer.body, self.app, answer.batch_id)

    def _through(self, key: tuple, environ: dict, start_response):
        captured: dict = {}

        def capture(status: str, headers: list, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = self.wsgi_app(environ, capture)
        marked = environ.get(REPLAYABLE)
        status = int(captured.get("status", "500").split(" ", 1)[0])
        if marked is None or status not in (200, 304):
            return result
        headers = captured["headers"]
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return result
        body = b"".join(result)  # a page of a few dozen kilobytes; the original stays open until sent
        code, variant, etag, batch_id = marked
        kept = tuple((name, value) for name, value in headers if name.lower() not in _NOT_KEPT)
        dated = any(name.lower() == "date" for name, _ in headers)
        self._keep(key, Answer(code, variant, etag, batch_id, status, kept, body if status == 200 else b"", dated))
        return _Closing(body, result)

    def _keep(self, key: tuple, answer: Answer) -> None:
        limit = self.app.config["TRACE_PAGE_CACHE_MB"] << 20
        if len(answer.body) > limit:
            return
        with self._lock:
            previous = self._answers.pop(key, None)
            if previous is not None:
                self._bytes -= len(previous.body)
            revalidated = previous is not None and previous.status == 200 and previous.etag == answer.etag
            if revalidated and answer.status == 304:  # a revalidation keeps the body it confirms
                answer = previous
            self._answers[key] = answer
            self._bytes += len(answer.body)
            while self._bytes > limit or len(self._answers) > 4 * 4096:
                _key_out, old = self._answers.popitem(last=False)
                self._bytes -= len(old.body)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
            self._bytes = 0


class _Closing:
    """The collected body, closing Flask's response (and running its on-close work) once the server is done."""

    def __init__(self, body: bytes, original) -> None:
        self._body, self._original = body, original

    def __iter__(self):
        yield self._body

    def close(self) -> None:
        close = getattr(self._original, "close", None)
        if close is not None:
            close()


class _Counted:
    """A replayed page for a person: counted once the server has sent it, as trace.page counts its own."""

    def __init__(self, body: bytes, app: Flask, batch_id: int) -> None:
        self._body, self._app, self._batch_id = body, app, batch_id

    def __iter__(self):
        yield self._body

    def close(self) -> None:
        count_view(self._app, self._batch_id, scans.scan_day())


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
