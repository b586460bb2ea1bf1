"""What changes a lot's public page raises the lot's ``trace_version``, in the transaction that makes the change.

The trace page is rendered once per version and its 304s are answered from the version alone, so every write
that alters what a page shows must move a version. Rather than trusting each service to remember, one
``after_flush`` listener on every session looks at what the flush wrote:

- a quantity line of an event (harvest, step, split, merge, transform, shipment, recall, correction: every event
  goes through ``ledger.append_event``), a recall or an error declaration: the lots it names;
- a change to a lot itself (status, holder, grade, note);
- a plot, a certificate or an organization (name, commune, verification): every lot grown on those plots or held
  by that organization.

A lot's page shows its ancestors too; its version is the sum over the lot and its ancestors
(``trace_page.version``), so raising only the lots named here is enough. A worker that serves cached pages from
other processes learns of the change when its short-lived memo of versions expires (``TRACE_VERSION_TTL``); the
process that made the change forgets its memo at once (``after_commit``).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event, inspect, or_, select, update
from sqlalchemy.orm import Session

from core.accounts.models import Organization
from core.db import utcnow
from traceability.models import (
    Batch,
    BatchPlot,
    Certificate,
    CertificatePlot,
    ErrorDeclaration,
    EventQuantity,
    Plot,
    Recall,
    RecalledBatch,
)

PENDING = "trace_versions.changed"  # session.info key: True once this transaction raised a version
_ORGANIZATION_FIELDS = ("name", "commune_code", "verified_at")
_listeners: list[Callable[[], None]] = []


def mark_changed(session: Session) -> None:
    """Make the next commit of ``session`` call the ``on_commit`` listeners (a change every page shows, such as a
    finished ledger audit, raises no lot's version but is part of every page's)."""
    session.info[PENDING] = True


def on_commit(listener: Callable[[], None]) -> None:
    """Call ``listener()`` after each commit that raised a version (the view's memo of versions forgets then)."""
    _listeners.append(listener)


def _changed(instance, fields: tuple[str, ...]) -> bool:
    state = inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _touched(session: Session) -> tuple[set[int], set[int], set[int]]:
    """(lot ids, plot ids, organization ids) whose pages this flush changed."""
    batches: set[int] = set()
    plots: set[int] = set()
    organizations: set[int] = set()
    corrected: set[int] = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, EventQuantity | Recall | RecalledBatch | BatchPlot):
            batches.add(instance.batch_id)
        elif isinstance(instance, Batch) and instance not in session.new:
            batches.add(instance.id)
        elif isinstance(instance, ErrorDeclaration):
            corrected.add(instance.event_id)
        elif isinstance(instance, Plot):
            plots.add(instance.id)
        elif isinstance(instance, CertificatePlot):
            plots.add(instance.plot_id)
        elif isinstance(instance, Certificate):
            organizations.add(instance.organization_id)
        elif (
            isinstance(instance, Organization)
            and instance not in session.new
            and (instance in session.deleted or _changed(instance, _ORGANIZATION_FIELDS))
        ):
            organizations.add(instance.id)
    batches.discard(None)
    if corrected:
        connection = session.connection()
        batches.update(connection.scalars(select(EventQuantity.batch_id).where(EventQuantity.event_id.in_(corrected))))
    return batches, plots, organizations


def _after_flush(session: Session, flush_context) -> None:
    batches, plots, organizations = _touched(session)
    if not (batches or plots or organizations):
        return
    conditions = []
    if batches:
        conditions.append(Batch.id.in_(batches))
    if plots:
        conditions.append(Batch.id.in_(select(BatchPlot.batch_id).where(BatchPlot.plot_id.in_(plots))))
    if organizations:
        conditions.append(Batch.custodian_id.in_(organizations))
        farmed = select(BatchPlot.batch_id).join(Plot, Plot.id == BatchPlot.plot_id)
        conditions.append(Batch.id.in_(farmed.where(Plot.organization_id.in_(organizations))))
    session.connection().execute(
        update(Batch.__table__)
        .where(or_(*conditions))
        .values(trace_version=Batch.__table__.c.trace_version + 1, trace_changed_at=utcnow())
    )
    session.info[PENDING] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(PENDING, False):
        for listener in _listeners:
            listener()


def _after_rollback(session: Session, previous_transaction) -> None:
    session.info.pop(PENDING, None)


def install() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)
