"""Public pages answered before Flask: what Flask sent for the same request, sent again while it still holds.

Most readers of a trace page or the marketplace are visitors who are not signed in and send no cookie but the
language one. For them a page depends only on the request's path, query, ``Accept-Language``, ``Accept-Encoding``
and ``lang`` cookie, and on the data. So when a view answers such a visitor, it may mark the request as replayable
(``mark``) with how long the answer holds: until a *kind*'s checker says the page's entity tag moved (the trace
page: its version, remembered per process for a few seconds), or for a number of seconds (the marketplace's
search: stock shown may be that old; checkout always counts the real stock). This layer then keeps the status,
headers and body exactly as Flask and every after-request hook made them (compression, Vary, cache and security
headers) under those inputs, and answers the next such request from that copy: a 304 when the browser's copy
matches, the body otherwise, each with its own request id and log line, without Flask's request machinery or the
database. A domain registers its kind with ``register_kind``: a checker (lot -> current entity tag, or None when
it does not know without asking the database: the request then goes to Flask) and what to do once a body was sent
(the trace page counts a view).

Anything else (another method, a signed-in visitor, a session or any other cookie, an Authorization header, a path
no kind marked) goes to Flask untouched. ``REPLAY_CACHE_MB`` bounds the copies per process.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, request
from werkzeug.http import http_date, is_resource_modified, parse_cookie

from core.i18n import LANG_COOKIE
from core.logging import log_request, request_id

_MARK = "nongsan.replay"
_NOT_MODIFIED_DROPS = {"content-length", "content-type", "content-encoding"}
_NOT_KEPT = {"x-request-id", "date", "set-cookie"}  # per response (Date is sent fresh when Flask sent one)
_MAX_QUERY = 256
_MAX_ANSWERS = 16384


@dataclass(frozen=True)
class Kind:
    # (subject) -> (current weak entity tag value, last modified) or None when not known without the database
    current: Callable[[tuple], tuple[str, datetime] | None] | None
    sent: Callable[[Flask, dict, tuple], None] | None  # after a replayed body went out: (app, environ, subject)


@dataclass(frozen=True)
class Answer:
    kind: str
    subject: tuple  # what the kind's checker and hook need (a lot's code, variant, id)
    etag: str | None  # the weak entity tag value Flask sent (None: the answer has none)
    expires: float | None  # time.monotonic() after which it no longer holds (None: the checker decides)
    endpoint: str
    status: int  # 200 or 304
    headers: tuple[tuple[str, str], ...]
    body: bytes
    dated: bool  # Flask sent a Date header


def register_kind(app: Flask, name: str, *, current=None, sent=None) -> None:
    app.extensions.setdefault("nongsan.replay_kinds", {})[name] = Kind(current, sent)


def mark(kind: str, subject: tuple = (), *, etag: str | None = None, seconds: float | None = None) -> None:
    """Let this request's answer be sent again to the same request: while ``kind``'s checker gives ``etag``, or for
    ``seconds``. Call it only for a visitor who is not signed in and whose page shows nothing of their own."""
    if seconds is not None and seconds <= 0:
        return
    request.environ[_MARK] = (kind, subject, etag, seconds, request.endpoint)


def _key(environ: dict) -> tuple | None:
    """What a visitor's answer depends on, or None when the request is not one to replay."""
    if environ.get("REQUEST_METHOD") != "GET" or environ.get("HTTP_AUTHORIZATION"):
        return None
    query = environ.get("QUERY_STRING", "")
    if len(query) > _MAX_QUERY:
        return None
    cookie = environ.get("HTTP_COOKIE")
    language = None
    if cookie:
        cookies = parse_cookie(cookie)
        if set(cookies) - {LANG_COOKIE}:
            return None
        language = cookies.get(LANG_COOKIE)
    return (
        environ.get("PATH_INFO", ""),
        query,
        environ.get("HTTP_ACCEPT_LANGUAGE", ""),
        environ.get("HTTP_ACCEPT_ENCODING", ""),
        language,
    )


class Replay:
    """WSGI middleware around the app (``install``)."""

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
            holds = self._holds(answer)
            if holds is not None:
                last_modified = holds if isinstance(holds, datetime) else None
                etag = f'W/"{answer.etag}"' if answer.etag else None
                if etag and not is_resource_modified(environ, etag=etag, last_modified=last_modified):
                    return self._send(environ, start_response, answer, 304, started)
                if answer.status == 200:
                    return self._send(environ, start_response, answer, 200, started)
        return self._through(key, environ, start_response)

    def _holds(self, answer: Answer):
        """True or the page's last-modified time while ``answer`` still holds; None once it does not."""
        if answer.expires is not None:
            return True if time.monotonic() < answer.expires else None
        kind = self.app.extensions.get("nongsan.replay_kinds", {}).get(answer.kind)
        current = kind.current(answer.subject) if kind and kind.current else None
        if current is None or current[0] != answer.etag:
            return None
        return current[1]

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
            endpoint=answer.endpoint,
            status=status,
            started=started,
        )
        if status == 304:
            return []
        kind = self.app.extensions.get("nongsan.replay_kinds", {}).get(answer.kind)
        if kind is None or kind.sent is None:
            return [answer.body]
        return _AfterSent(answer.body, lambda: kind.sent(self.app, environ, answer.subject))

    def _through(self, key: tuple, environ: dict, start_response):
        captured: dict = {}

        def capture(status: str, headers: list, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = self.wsgi_app(environ, capture)
        marked = environ.get(_MARK)
        status = int(captured.get("status", "500").split(" ", 1)[0])
        if marked is None or status not in (200, 304):
            return result
        headers = captured["headers"]
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return result
        if any(name.lower() == "content-security-policy" and "'nonce-" in value for name, value in headers):
            return result  # a nonce is for one response: sent again it would let the next page's styles through
        body = b"".join(result)  # a page of a few dozen kilobytes; the original stays open until sent
        kind, subject, etag, seconds, endpoint = marked
        answer = Answer(
            kind=kind,
            subject=subject,
            etag=etag,
            expires=time.monotonic() + seconds if seconds is not None else None,
            endpoint=endpoint or "",
            status=status,
            headers=tuple((name, value) for name, value in headers if name.lower() not in _NOT_KEPT),
            body=body if status == 200 else b"",
            dated=any(name.lower() == "date" for name, _ in headers),
        )
        self._keep(key, answer)
        return _AfterSent(body, getattr(result, "close", None))

    def _keep(self, key: tuple, answer: Answer) -> None:
        limit = self.app.config.get("REPLAY_CACHE_MB", 32) << 20
        if len(answer.body) > limit:
            return
        with self._lock:
            previous = self._answers.pop(key, None)
            if previous is not None:
                self._bytes -= len(previous.body)
                confirmed = previous.status == 200 and previous.etag is not None and previous.etag == answer.etag
                if confirmed and answer.status == 304:  # a revalidation keeps the body it confirms
                    answer = previous
            self._answers[key] = answer
            self._bytes += len(answer.body)
            while self._bytes > limit or len(self._answers) > _MAX_ANSWERS:
                _key_out, old = self._answers.popitem(last=False)
                self._bytes -= len(old.body)


class _AfterSent:
    """One body, then ``after()`` once the server is done with it (closing Flask's response, counting a view)."""

    def __init__(self, body: bytes, after: Callable[[], None] | None) -> None:
        self._body, self._after = body, after

    def __iter__(self):
        yield self._body

    def close(self) -> None:
        if self._after is not None:
            self._after()


def install(app: Flask) -> None:
    """Put the replay layer around the app (outermost, before the proxy fix)."""
    if app.config.get("REPLAY_PAGES", True) and not isinstance(app.wsgi_app, Replay):
        app.wsgi_app = Replay(app.wsgi_app, app)
