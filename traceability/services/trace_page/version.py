"""The trace page's version: what a browser's cached copy is compared with before anything is built.

Two queries: the batch (with its holder), then one statement of scalar
subqueries over the lot's lineage that changes whenever anything the page shows
changes through the application: an event on the lot or on any lot it was made
from (recalls, shipments and corrective events are events too), an error
declaration, its plots, the certificates covering them and the verification of
its producers. The current hour is part of it as well: the tamper check is run
again at least once an hour, so a record altered behind the application's back
cannot hide behind a cached "record intact" for longer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from core.accounts.models import Organization
from core.db import utcnow
from core.extensions import db
from traceability.errors import BatchNotFoundError
from traceability.models import (
    Batch,
    BatchPlot,
    Certificate,
    CertificatePlot,
    ErrorDeclaration,
    Event,
    EventQuantity,
    Plot,
)
from traceability.services.lineage import ANCESTORS, walk_cte

# Change when the page's markup changes, so that no browser keeps an old layout for a new one.
RENDER_VERSION = "2"


@dataclass(frozen=True)
class Version:
    batch: Batch
    custodian: Organization
    etag: str  # a weak entity tag, unquoted: the view sets it with weak=True
    last_modified: datetime


def load_batch(code: str) -> tuple[Batch, Organization]:
    row = db.session.execute(
        select(Batch, Organization).join(Organization, Organization.id == Batch.custodian_id).where(Batch.code == code)
    ).first()
    if row is None:
        raise BatchNotFoundError(code)
    return row[0], row[1]


def _stamps(batch: Batch) -> tuple:
    walk = walk_cte(batch.id, ANCESTORS)
    touching = select(EventQuantity.event_id).where(
        or_(EventQuantity.batch_id == batch.id, EventQuantity.batch_id.in_(select(walk.c.batch_id)))
    )
    plot_ids = select(BatchPlot.plot_id).where(BatchPlot.batch_id == batch.id)
    certificate_ids = select(CertificatePlot.certificate_id).where(CertificatePlot.plot_id.in_(plot_ids))
    organizations = or_(
        Organization.id == batch.custodian_id,
        Organization.id.in_(select(Plot.organization_id).where(Plot.id.in_(plot_ids))),
    )
    certificate_changed = func.coalesce(Certificate.verified_at, Certificate.created_at)
    columns = (
        select(func.max(Event.id)).where(Event.id.in_(touching)),
        select(func.max(Event.record_time)).where(Event.id.in_(touching)),
        select(func.count(ErrorDeclaration.id)).where(ErrorDeclaration.event_id.in_(touching)),
        select(func.max(ErrorDeclaration.declared_at)).where(ErrorDeclaration.event_id.in_(touching)),
        select(func.max(Plot.updated_at)).where(Plot.id.in_(plot_ids)),
        select(func.count(Certificate.id)).where(Certificate.id.in_(certificate_ids)),
        select(func.max(certificate_changed)).where(Certificate.id.in_(certificate_ids)),
        select(func.count(Organization.verified_at)).where(organizations),
        select(func.max(Organization.verified_at)).where(organizations),
    )
    return tuple(db.session.execute(select(*(column.scalar_subquery() for column in columns))).one())


def page_version(code: str, variant: str) -> Version:
    """The batch ``code`` and the validators of its page as ``variant`` (language, viewer) sees it; 404 if unknown."""
    batch, custodian = load_batch(code)
    stamps = _stamps(batch)
    hour = utcnow().replace(minute=0, second=0, microsecond=0)
    changed = [value for value in stamps if isinstance(value, datetime)]
    last_modified = max([*changed, hour])
    key = "|".join(
        str(part)
        for part in (RENDER_VERSION, batch.id, batch.status, batch.custodian_id, *stamps, variant, hour.isoformat())
    )
    return Version(batch, custodian, hashlib.sha256(key.encode()).hexdigest()[:32], last_modified)
