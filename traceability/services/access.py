"""Who may read and who may act on a batch.

Reading: whoever may act for the custodian organization (co-op managers act for
member households), the receiving organization while a shipment is on its way,
and department officers. Anyone else is told the batch does not exist (404).

Acting: whoever may act for the custodian, and only while the batch is active:
a batch in transit belongs to neither side until the receiver confirms (409).
Department officers read but never act (403).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from core.accounts.models import User
from core.accounts.permissions import actable_organization_ids, is_department_officer
from core.errors import PermissionDenied
from core.extensions import db
from traceability.errors import BatchNotActiveError, BatchNotFoundError
from traceability.identifiers import normalize_batch_code
from traceability.messages import BATCH_IN_TRANSIT, BATCH_IN_TRANSIT_SHORT, BATCH_RECALLED, NOTHING_LEFT, READ_NOT_ACT
from traceability.models import Batch, BatchStatus, RecalledBatch, Shipment, ShipmentStatus
from traceability.services import ledger


class Reader:
    """What one user may see: the organizations they act for, or everything (department officers)."""

    def __init__(self, user: User | None):
        self.user = user
        self.sees_all = is_department_officer(user)
        self.organization_ids = actable_organization_ids(user) if user is not None else set()

    def may_read(self, batch: Batch) -> bool:
        if self.sees_all or batch.custodian_id in self.organization_ids:
            return True
        if batch.status is BatchStatus.IN_TRANSIT:
            return incoming_shipment(batch.id, self.organization_ids) is not None
        return False

    def may_act(self, batch: Batch) -> bool:
        return batch.custodian_id in self.organization_ids


def incoming_shipment(batch_id: int, organization_ids: Iterable[int]) -> Shipment | None:
    """The open shipment of ``batch_id`` to one of ``organization_ids``, if there is one."""
    ids = list(organization_ids)
    if not ids:
        return None
    return db.session.scalar(
        select(Shipment).where(
            Shipment.batch_id == batch_id,
            Shipment.status == ShipmentStatus.IN_TRANSIT,
            Shipment.to_organization_id.in_(ids),
        )
    )


def find_batch(code: str) -> Batch | None:
    return db.session.scalar(select(Batch).where(Batch.code == normalize_batch_code(code)))


def readable_batch(user: User | None, code: str, reader: Reader | None = None) -> Batch:
    """The batch ``code`` if ``user`` may see it; ``BatchNotFoundError`` (404) otherwise."""
    reader = reader or Reader(user)
    batch = find_batch(code)
    if batch is None or not reader.may_read(batch):
        raise BatchNotFoundError(normalize_batch_code(code))
    return batch


def check_actable(reader: Reader, batch: Batch, field: str | None = None) -> None:
    """404 for a batch the user may not see, 403 for one they only read, 409 for one not active."""
    if not reader.may_read(batch):
        raise BatchNotFoundError(batch.code)
    if batch.status is BatchStatus.IN_TRANSIT:
        raise BatchNotActiveError(
            BATCH_IN_TRANSIT(code=batch.code),
            errors={field: [BATCH_IN_TRANSIT_SHORT(code=batch.code)]} if field else None,
        )
    if not reader.may_act(batch):
        raise PermissionDenied(READ_NOT_ACT(code=batch.code))
    if batch.status is BatchStatus.CONSUMED:
        message = NOTHING_LEFT(code=batch.code)
        raise BatchNotActiveError(message, errors={field: [message]} if field else None)


def refuse_recalled(batches: list[Batch], field: str | None = None) -> None:
    """A recalled lot may still be inspected or destroyed, but never split, merged, transformed, shipped or sold."""
    recalled = set(
        db.session.scalars(select(RecalledBatch.batch_id).where(RecalledBatch.batch_id.in_([b.id for b in batches])))
    )
    for batch in batches:
        if batch.id in recalled:
            message = BATCH_RECALLED(code=batch.code)
            raise BatchNotActiveError(message, errors={field: [message]} if field else None)


def lock_actable(
    user: User | None,
    codes: list[str],
    field: str | None = None,
    reader: Reader | None = None,
    *,
    allow_recalled: bool = False,
) -> tuple[Reader, list[Batch]]:
    """Lock the batches ``codes`` (primary-key order) and check the user may act on each, in the given order.

    The checks run after the lock, so a shipment or split committed meanwhile is seen.
    Recalled lots are refused unless ``allow_recalled`` (a process step such as destroying).
    """
    reader = reader or Reader(user)
    normalized = [normalize_batch_code(code) for code in codes]
    ids = dict(db.session.execute(select(Batch.code, Batch.id).where(Batch.code.in_(normalized))).all())
    missing = [code for code in normalized if code not in ids]
    if missing:
        raise BatchNotFoundError(missing[0])
    locked = ledger.lock_batches(ids.values())
    batches = [locked[ids[code]] for code in normalized]
    for batch in batches:
        check_actable(reader, batch, field)
    if not allow_recalled:
        refuse_recalled(batches, field)
    return reader, batches
