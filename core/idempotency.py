"""Idempotency-Key for the JSON API and queued forms: a retried create answers like the first try, creating nothing.

A farmer on patchy 3G taps "save", the answer is lost, the app sends the request
again: with the same ``Idempotency-Key`` header the second request gets the first
one's status and body back (marked ``Idempotent-Replayed: true``) instead of a
second batch or order. It applies to every ``POST`` that carries the header, through
request hooks, so no view has to do anything: the JSON API's, and the producer forms that
the phone's offline queue sends (``core/offline.py``; a browser's own form post has no
such header). CSRF is checked before a key is claimed (CSRFProtect's hook runs first).

- Keys belong to the authenticated caller (``user:<id>``: the token's user under
  ``/api/``, the session's on pages); without one the scope is the path
  (``POST /api/v1/accounts``), so one key serves one endpoint.
- The same key with another body or path is refused (422): it is a client bug,
  and answering with the first request's result would hide it.
- The key is claimed by inserting its row before the view runs; the unique
  (scope, key) constraint decides between two identical requests racing, and
  the loser gets 409 "still in progress" with ``Retry-After``.
- The view's writes and the mark that they happened are one transaction: a session hook
  (``before_commit``) stamps the claim's ``committed_at`` inside the commit of any transaction
  of the request that wrote something. Once stamped, the request is never run again for
  this key: if the answer cannot be kept afterwards (an exception or a 500 after the commit,
  or the process dying before the answer is stored), a retry is told with a 409
  ``idempotency_answer_lost`` (no ``Retry-After``) that the request was carried out and its
  answer lost, instead of writing a second time.
- Answers with 2xx and 4xx statuses are kept for 24 hours (``RETENTION``; a page's, sent
  by a phone's offline queue, for ``PAGE_RETENTION``;
  ``core.purge_idempotency_records`` deletes them); a 5xx, a 429 (rate limited)
  or an exception that came before any write committed releases the key so that the retry
  really runs again. A deliberate 502–504 (a payment provider down) releases it even after a
  write: the service answered "try again" and made its own writes safe to repeat.
- An answer marked ``Cache-Control: no-store`` (one that shows a secret, such as a
  new API token) is never kept: the key is released and a retry runs again.
- The body is remembered only as an HMAC-SHA256 keyed with SECRET_KEY: a plain
  SHA-256 of a sign-in body would be a fast, unsalted hash of the password.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime, timedelta

from flask import Flask, Response, current_app, g, has_request_context, request
from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint, delete, event, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from core.db import utcnow
from core.errors import problem_response
from core.extensions import db
from core.messages import N_, Message
from core.security import api_user

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
RETENTION = timedelta(hours=24)
# A phone's queued form may wait offline as long as its session lasts (PERMANENT_SESSION_LIFETIME): its key is
# kept that long, so a send whose answer was lost is still recognised when the phone comes back days later.
PAGE_RETENTION = timedelta(days=30)
# A claim older than this belongs to a request whose process died; a retry may take it over.
# It is longer than any request may run (gunicorn's timeout).
ABANDONED_AFTER = timedelta(minutes=5)
_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as UUIDs and random tokens are
_NOT_KEPT = {408, 429}  # the client is told to retry these: keeping them would refuse the retry
_RETRY_AFTER_WRITE = {502, 503, 504}  # a service's own "try again", even after it wrote

# The refusals of a key, with their codes (a small module of its own, so its messages live here).
KEY_INVALID = Message(
    "idempotency_key_invalid", N_("The %(header)s header must be 1 to 255 visible ASCII characters, such as a UUID.")
)
KEY_REUSED = Message(
    "idempotency_key_reused",
    N_(
        "This %(header)s was already used for a different request (another body or path). "
        "Send a new key for a new request."
    ),
)
ANSWER_LOST = Message(
    "idempotency_answer_lost",
    N_(
        "The request with this %(header)s was carried out, but its answer was lost. "
        "It will not be carried out again: look up its result instead."
    ),
)
KEY_IN_PROGRESS = Message(
    "idempotency_in_progress",
    N_("A request with this %(header)s is still being processed. Retry in a moment to get its answer."),
)


class IdempotencyRecord(db.Model):
    """One claimed Idempotency-Key and, once the request finished, the answer it got."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(80))  # "user:<id>" or "anonymous:<sha256 of the path>"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(255))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(2000))
    request_hash: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 of the raw body
    status: Mapped[int | None]  # None while the first request is still running
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    content_type: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(2000))
    # Set in the transaction that committed the request's writes: from then on the request is never run again.
    committed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


def keep_keyed_bodies(app: Flask) -> None:
    """Read the raw body of a keyed POST before anything parses its form (CSRFProtect does, first): once parsed,
    ``get_data()`` would be empty and every page post would hash alike. Werkzeug parses the form from the kept bytes.
    Call before ``csrf.init_app``."""

    @app.before_request
    def _keep_body() -> None:
        if request.method == "POST" and HEADER in request.headers:
            request.get_data(cache=True)


def init_idempotency(app: Flask) -> None:
    app.before_request(_claim_key)
    app.after_request(_keep_answer)
    app.teardown_request(_release_on_error)


def _applies() -> bool:
    return request.method == "POST" and HEADER in request.headers and request.url_rule is not None


def _caller():
    """The API's token holder, or the page session's user for a form sent by the offline queue."""
    if request.path.startswith("/api/"):
        return api_user()  # a wrong token is refused here (401) before any key is claimed
    from flask_login import current_user

    return current_user if current_user.is_authenticated else None


def _claim_key() -> Response | None:
    if not _applies():
        return None
    key = request.headers[HEADER]
    if not _KEY.fullmatch(key):
        return _problem(400, "Bad request", KEY_INVALID(header=HEADER))
    user = _caller()
    scope = f"user:{user.id}" if user is not None else "anonymous:" + hashlib.sha256(request.path.encode()).hexdigest()
    request_hash = hmac.new(
        current_app.config["SECRET_KEY"].encode(), request.get_data(cache=True), hashlib.sha256
    ).hexdigest()

    for _attempt in range(3):
        record = IdempotencyRecord(
            scope=scope,
            user_id=user.id if user is not None else None,
            key=key,
            method=request.method,
            path=request.path,
            request_hash=request_hash,
        )
        db.session.add(record)
        try:
            db.session.flush()
            record_id = record.id  # read before the commit: reading it after would open a new transaction
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
        else:
            g.idempotency_record_id = record_id
            return None
        existing = db.session.scalar(
            select(IdempotencyRecord).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
        )
        if existing is None:
            continue  # released (failed) or purged since our insert: claim it again
        return _answer_existing(existing, request_hash)
    return _in_progress()


def _answer_existing(existing: IdempotencyRecord, request_hash: str) -> Response | None:
    if existing.path != request.path or existing.method != request.method or existing.request_hash != request_hash:
        return _problem(422, "Unprocessable entity", KEY_REUSED(header=HEADER))
    if existing.status is None:
        if existing.committed_at is not None:
            # Its writes are in; the answer is still being stored, or the process died before it could store it.
            if existing.committed_at >= utcnow() - ABANDONED_AFTER:
                return _in_progress()
            return _answer_lost()
        if _take_over_abandoned(existing.id):
            return None
        return _in_progress()
    response = current_app.response_class(
        existing.response_body or b"", status=existing.status, content_type=existing.content_type
    )
    response.headers[REPLAYED_HEADER] = "true"
    if existing.location:
        response.headers["Location"] = existing.location
    return response


def _take_over_abandoned(record_id: int) -> bool:
    now = utcnow()
    claimed = db.session.execute(
        update(IdempotencyRecord)
        .where(
            IdempotencyRecord.id == record_id,
            IdempotencyRecord.status.is_(None),
            IdempotencyRecord.committed_at.is_(None),  # a request whose writes committed never runs again
            IdempotencyRecord.created_at < now - ABANDONED_AFTER,
        )
        .values(created_at=now)
    ).rowcount
    db.session.commit()
    if claimed:
        g.idempotency_record_id = record_id
    return bool(claimed)


def _in_progress() -> Response:
    return _problem(409, "Conflict", KEY_IN_PROGRESS(header=HEADER), headers={"Retry-After": "1"})


def _answer_lost() -> Response:
    return _problem(409, "Conflict", ANSWER_LOST(header=HEADER))


def _problem(status: int, title: str, detail: Message, **kwargs) -> Response:
    return problem_response(status, title, detail, code=detail.code, **kwargs)


def _keepable(response: Response) -> bool:
    if response.is_streamed or response.direct_passthrough or response.cache_control.no_store:
        return False
    status = response.status_code
    return 200 <= status < 300 or (400 <= status < 500 and status not in _NOT_KEPT)


def _lost_after_write(response: Response) -> bool:
    """Whether an answer that is not kept must still keep the key, its request's writes having committed.

    A 500 is a crash after the write: running the request again would write twice. A 502–504 is the service's
    deliberate "try again" (a payment provider down), a ``no-store`` answer shows a secret that a replay must not
    show (a new API token): both release the key, as they always did.
    """
    status = response.status_code
    return status >= 500 and status not in _RETRY_AFTER_WRITE


def _keep_answer(response: Response) -> Response:
    record_id = g.pop("idempotency_record_id", None)
    committed = _forget_writes()
    if record_id is None:
        return response
    # Services commit their own work; anything still pending here was meant to be dropped,
    # and must not ride along with this commit.
    db.session.rollback()
    if _keepable(response):
        _store(record_id, response)
    elif committed and _lost_after_write(response):
        _store(record_id, _answer_lost())
    else:
        db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))
    db.session.commit()
    return response


def _store(record_id: int, response: Response) -> None:
    db.session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.id == record_id)
        .values(
            status=response.status_code,
            response_body=response.get_data(),
            content_type=response.content_type,
            location=response.headers.get("Location"),
        )
    )


def _release_on_error(error: BaseException | None) -> None:
    """An exception skipped ``_keep_answer``: free the key so the client's retry runs again, unless the request's
    writes had committed already (then the retry is told the answer was lost)."""
    record_id = g.pop("idempotency_record_id", None)
    committed = _forget_writes()
    if record_id is None:
        return
    try:
        db.session.rollback()
        if committed:
            _store(record_id, _answer_lost())
        else:
            db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("could not release an Idempotency-Key after a failed request")


# The view's writes and the claim's ``committed_at`` share a transaction: these session hooks note when a
# transaction of a keyed request writes, and stamp the claim inside that transaction's commit.
_WROTE = "idempotency_wrote"
_STAMPED = "idempotency_stamped"
_COMMITTED = "idempotency_committed"


def _claimed_in(session: Session) -> int | None:
    """The claim of the request running in ``session`` (the app's request session), if it is keyed."""
    if not has_request_context() or g.get(_STAMPED) == "stamping":
        return None
    record_id = g.get("idempotency_record_id")
    if record_id is None or session is not db.session():
        return None
    return record_id


def _forget_writes() -> bool:
    """Clear the request's notes; whether a write of the request committed."""
    g.pop(_WROTE, None)
    g.pop(_STAMPED, None)
    return bool(g.pop(_COMMITTED, False))


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _flush_context) -> None:
    if _claimed_in(session) is not None:
        g.setdefault(_WROTE, True)


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and _claimed_in(state.session) is not None:
        g.setdefault(_WROTE, True)


@event.listens_for(Session, "before_commit")
def _stamp_claim(session: Session) -> None:
    record_id = _claimed_in(session)
    if record_id is None:
        return
    pending = bool(session.new or session.deleted or any(session.is_modified(obj) for obj in session.dirty))
    if not (pending or g.get(_WROTE)):
        return  # a commit that writes nothing leaves the request free to run again
    setattr(g, _STAMPED, "stamping")  # our own UPDATE is not one of the request's writes
    try:
        session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.id == record_id, IdempotencyRecord.committed_at.is_(None))
            .values(committed_at=utcnow())
        )
    finally:
        setattr(g, _STAMPED, "pending")


@event.listens_for(Session, "after_commit")
def _note_commit(session: Session) -> None:
    if not has_request_context() or session is not db.session():
        return
    if g.pop(_STAMPED, None) == "pending":
        setattr(g, _COMMITTED, True)
    g.pop(_WROTE, None)


@event.listens_for(Session, "after_rollback")
def _note_rollback(session: Session) -> None:
    if has_request_context() and session is db.session():
        g.pop(_WROTE, None)
        if g.get(_STAMPED) == "pending":
            g.pop(_STAMPED, None)
