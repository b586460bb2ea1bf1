"""The task outbox: work meant for a Celery worker is written to the database with the work itself.

A service that must have a worker act on what it just wrote (render a label sheet,
apply an EPCIS capture, send an order's email) calls ``queue_task`` *before* its
commit: the message becomes a row of ``task_outbox`` in the same transaction, so it
exists exactly when the work does. After the commit, ``send_queued`` hands the rows
to the broker and deletes them. When the broker (Redis) is down, the rows stay and
the request still succeeds; ``core.send_outbox`` (Celery beat, every minute) sends
every row older than ``OUTBOX_GRACE_SECONDS`` once the broker answers again.
Nothing is lost, but a message may be delivered twice (a process that dies between
the send and the delete): label sheets and captures are idempotent, and an order
email's task records each recipient the mail server accepted, so a second delivery
sends only what the first did not (two running at the very same moment could both
send, the lesser harm than none).

Without a broker (``make run``, the tests) ``send_queued`` deletes the rows and runs
the tasks in this process, as ``core.tasks.send_task`` does.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from celery import shared_task
from flask import current_app
from sqlalchemy import JSON, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db
from core.tasks import publish, run_eagerly

BATCH = 500


class OutboxMessage(db.Model):
    """A task to send to the broker, written in the transaction of the work it is about."""

    __tablename__ = "task_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    args: Mapped[list] = mapped_column(JSON, default=list)
    kwargs: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))


class Queued(NamedTuple):
    """An outbox row as ``queue_task`` wrote it: what ``send_queued`` sends, without reading it back."""

    id: int
    name: str
    args: list
    kwargs: dict


def queue_task(name: str, *args: Any, **kwargs: Any) -> Queued:
    """Write task ``name`` into the current transaction; call ``send_queued`` with the result after the commit."""
    message = OutboxMessage(name=name, args=list(args), kwargs=dict(kwargs))
    db.session.add(message)
    db.session.flush()
    return Queued(message.id, name, list(args), dict(kwargs))


def send_queued(queued: list[Queued]) -> int:
    """Send the committed outbox rows ``queued`` now; those the broker does not take stay for the drain.

    Returns how many were sent. Never raises for a broker that is down: the work is recorded, and the drain
    sends it when the broker is back. The rows are deleted on a connection of their own, so the caller's session
    (and what it keeps loaded for its answer) is left as it was; they are not read back (the caller's commit
    wrote them as given).
    """
    if not queued:
        return 0
    messages = [tuple(message) for message in queued]
    if current_app.extensions["celery"].conf.task_always_eager:
        # Deleted before any task runs: an eager task has its own session, and on SQLite an open
        # transaction here would hold the write lock it needs.
        _delete([message_id for message_id, *_ in messages])
        for _, name, args, kwargs in messages:
            run_eagerly(name, args, kwargs)
        return len(messages)
    return _send(messages)


OUTBOX = OutboxMessage.__table__


def _read(condition) -> list[tuple[int, str, list, dict]]:
    with db.engine.begin() as connection:
        rows = connection.execute(
            select(OUTBOX.c.id, OUTBOX.c.name, OUTBOX.c.args, OUTBOX.c.kwargs)
            .where(condition)
            .order_by(OUTBOX.c.id)
            .limit(BATCH)
        ).all()
    return [(row.id, row.name, list(row.args or []), dict(row.kwargs or {})) for row in rows]


def _delete(ids: list[int]) -> None:
    if ids:
        with db.engine.begin() as connection:
            connection.execute(delete(OUTBOX).where(OUTBOX.c.id.in_(ids)))


def _send(messages: list[tuple[int, str, list, dict]]) -> int:
    """Publish each message in order, delete those published; stop at the first the broker refuses.

    No transaction (nor lock) is held while the broker is asked."""
    sent: list[int] = []
    for message_id, name, args, kwargs in messages:
        try:
            publish(name, args, kwargs)
        except Exception as exc:  # kombu and redis raise many kinds; each means "not sent now"
            current_app.logger.warning("broker refused task %s (outbox %s); it stays queued", name, message_id)
            with db.engine.begin() as connection:
                connection.execute(
                    OUTBOX.update()
                    .where(OUTBOX.c.id == message_id)
                    .values(attempts=OUTBOX.c.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:500])
                )
            break
        sent.append(message_id)
    _delete(sent)
    return len(sent)


def send_outbox(now: datetime | None = None) -> int:
    """Send every outbox row older than OUTBOX_GRACE_SECONDS (what a broker outage left behind), oldest first."""
    cutoff = (now or utcnow()) - timedelta(seconds=current_app.config["OUTBOX_GRACE_SECONDS"])
    total = 0
    while True:
        messages = _read(OUTBOX.c.created_at <= cutoff)
        if not messages:
            return total
        sent = _send(messages)
        total += sent
        if sent < len(messages):
            return total


def keep_unsent(name: str, args: list, kwargs: dict, error: Exception) -> None:
    """A task ``send_task`` could not publish, kept for the drain in a transaction of its own.

    ``send_task`` is called after the caller's commit, so this is the caller's only chance to keep it; a service
    whose work must never be lost queues it in its own transaction with ``queue_task`` instead.
    """
    with db.engine.begin() as connection:
        connection.execute(
            OUTBOX.insert().values(
                name=name,
                args=list(args),
                kwargs=dict(kwargs),
                created_at=utcnow(),
                attempts=1,
                last_error=f"{type(error).__name__}: {error}"[:500],
            )
        )


@shared_task(name="core.send_outbox", acks_late=True)
def send_outbox_task() -> int:
    return send_outbox()
