"""Recalls: a lot and everything made from it marked as recalled, with the reason, in one transaction.

Who may recall: whoever may act for the lot's custodian, or a department
officer. The lots reached are the recalled lot and all its descendants (one
recursive query, ``lineage.related_ids``), wherever they are now and whoever
holds them: that is the point of a recall. Each gets an EPCIS ObjectEvent
OBSERVE with bizStep ``holding`` and disposition ``recalled`` through the ledger,
so the recall is part of every affected lot's hash-chained history.

A lot already reached by an earlier recall is not marked twice; a recall that
would reach no new lot is refused (409). ``recall_status(batch)`` is what the
public trace page shows at the top.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from core.accounts.models import Membership, Organization, OrganizationKind, User
from core.errors import Conflict, PermissionDenied, ValidationError
from core.extensions import db
from traceability.errors import BatchNotFoundError
from traceability.messages import (
    ALREADY_RECALLED,
    AT_MOST_2000_CHARACTERS,
    ONLY_HOLDER_RECALLS,
    RECALL_REASON_MISSING,
    RECALL_REASON_TOO_LONG,
    RECALL_SAY_WHY,
)
from traceability.models import Batch, EventType, QuantityRole, Recall, RecalledBatch
from traceability.services import ledger
from traceability.services.access import Reader, find_batch
from traceability.services.lineage import DESCENDANTS, related_ids

REASON_MIN, REASON_MAX = 5, 2000


@dataclass(frozen=True)
class RecallResult:
    recall: Recall
    batch_code: str
    organization_name: str
    affected: list[str]  # codes of the lots this recall marked: the recalled lot first, then by code


def _reason(text: object) -> str:
    reason = " ".join(str(text or "").split())
    if len(reason) < REASON_MIN:
        raise ValidationError(RECALL_REASON_MISSING, errors={"reason": [RECALL_SAY_WHY]})
    if len(reason) > REASON_MAX:
        raise ValidationError(RECALL_REASON_TOO_LONG, errors={"reason": [AT_MOST_2000_CHARACTERS]})
    return reason


def _department_of(user: User) -> int | None:
    return db.session.scalar(
        select(Membership.organization_id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(Membership.user_id == user.id, Organization.kind == OrganizationKind.DEPARTMENT)
        .order_by(Membership.organization_id)
        .limit(1)
    )


def recall(user: User, code: str, reason: object) -> RecallResult:
    """Recall lot ``code`` and every lot made from it; 404 if the user may not see it, 403 if they only read it."""
    reader = Reader(user)
    batch = find_batch(code)
    if batch is None or not reader.may_read(batch):
        raise BatchNotFoundError(code)
    holder = reader.may_act(batch)
    if not holder and not reader.sees_all:
        raise PermissionDenied(ONLY_HOLDER_RECALLS(code=batch.code))
    cleaned = _reason(reason)

    reached = {batch.id} | related_ids(batch.id, DESCENDANTS)
    locked = ledger.lock_batches(reached)
    # Read after the lock: a recall committed meanwhile has marked its lots already.
    already = set(db.session.scalars(select(RecalledBatch.batch_id).where(RecalledBatch.batch_id.in_(reached))))
    new_ids = sorted(reached - already)
    if not new_ids:
        raise Conflict(ALREADY_RECALLED(code=batch.code))
    organization_id = batch.custodian_id if holder else (_department_of(user) or batch.custodian_id)
    entry = Recall(batch_id=batch.id, reason=cleaned, by_id=user.id, organization_id=organization_id)
    db.session.add(entry)
    db.session.flush()
    for batch_id in new_ids:
        lot = locked[batch_id]
        event = ledger.append_event(
            type=EventType.OBJECT,
            action="OBSERVE",
            operation="recall",
            biz_step="holding",
            disposition="recalled",
            organization_id=organization_id,
            user_id=user.id,
            note=cleaned,
            movements=[ledger.Movement(lot, QuantityRole.OBSERVED, lot.quantity_remaining)],
            extra={"recall": {"recall_id": entry.id, "recalled_lot": batch.code}},
        )
        db.session.add(RecalledBatch(recall_id=entry.id, batch_id=lot.id, event_id=event.id))
    codes = sorted(locked[i].code for i in new_ids if i != batch.id)
    affected = ([batch.code] if batch.id in new_ids else []) + codes
    batch_code = batch.code
    organization_name = db.session.scalar(select(Organization.name).where(Organization.id == organization_id)) or ""
    db.session.commit()
    return RecallResult(entry, batch_code, organization_name, affected)


def recall_status(batch: Batch) -> Recall | None:
    """The latest recall that reached ``batch`` (its own, or one of a lot it was made from); None if none did."""
    return recall_statuses([batch.id]).get(batch.id)


def recall_statuses(batch_ids: Iterable[int]) -> dict[int, Recall]:
    """The latest recall reaching each of ``batch_ids`` (absent when none did), in one query."""
    ids = list(set(batch_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(RecalledBatch.batch_id, Recall)
        .join(Recall, Recall.id == RecalledBatch.recall_id)
        .where(RecalledBatch.batch_id.in_(ids))
        .order_by(Recall.at, Recall.id)
    ).all()
    return dict(rows)  # later rows (newer recalls) win


@dataclass(frozen=True)
class RecallRow:
    recall: Recall
    batch_code: str
    organization_name: str
    lots: int  # how many lots it reached, the recalled one included


def list_recalls(user: User, *, limit: int = 50) -> list[RecallRow]:
    """The latest recalls: all of them for a department officer, else those its organizations declared."""
    reader = Reader(user)
    lots = select(func.count()).where(RecalledBatch.recall_id == Recall.id).correlate(Recall)
    statement = (
        select(Recall, Batch.code, Organization.name, lots.scalar_subquery())
        .join(Batch, Batch.id == Recall.batch_id)
        .join(Organization, Organization.id == Recall.organization_id)
    )
    if not reader.sees_all:
        statement = statement.where(Recall.organization_id.in_(reader.organization_ids or {-1}))
    rows = db.session.execute(statement.order_by(Recall.at.desc(), Recall.id.desc()).limit(limit)).all()
    return [RecallRow(recall, code, name, lots) for recall, code, name, lots in rows]
