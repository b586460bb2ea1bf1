"""The harvest rollup: rebuilt from the event log in SQL, and how fresh it is.

``refresh`` replaces the rollup in one transaction with one ``INSERT ... SELECT`` per certification value: every
harvest event that was not declared as never having occurred, its lot's quantity in kg (the corrected one, where
a correction changed it) shared among the lot's plots by area (a window function over the lot), grouped by
commodity, product, the plot's commune and holder, and the harvest month (the lot's last harvest day). Readers
never see a half-built rollup: the delete and the inserts commit together.

``freshness`` says when it ran and how many harvests were recorded since (an index range on the events' primary
key, not a scan of history). Celery beat runs ``refresh_if_stale`` every ten minutes.
"""

from __future__ import annotations

import time
from decimal import Decimal

from sqlalchemy import Integer, and_, case, cast, delete, exists, extract, func, insert, literal, select
from sqlalchemy.orm import aliased

from core.db import utcnow
from core.extensions import db
from reports.filters import ANY
from reports.models import HarvestRollup, RollupRefresh
from reports.tables import Freshness
from traceability.models import (
    Batch,
    BatchPlot,
    Certificate,
    CertificatePlot,
    CertificateType,
    ErrorDeclaration,
    Event,
    EventQuantity,
    Plot,
    QuantityRole,
    VerificationState,
)

NAME = "harvest"
HARVEST = "harvest"


def _kg(quantity, unit):
    return quantity * case((unit == "t", 1000), else_=1)


def harvest_shares():
    """One row per harvest lot and plot: the plot's share of the lot in kg, its commune, holder and month."""
    never_occurred = exists().where(ErrorDeclaration.event_id == Event.id, ErrorDeclaration.reason == "did_not_occur")
    lot_area = func.sum(Plot.area_ha).over(partition_by=Batch.id)
    return (
        select(
            Batch.id.label("batch_id"),
            Batch.commodity,
            Batch.product,
            Plot.id.label("plot_id"),
            Plot.commune_code,
            Plot.organization_id.label("producer_id"),
            Batch.harvest_end.label("harvested_on"),
            cast(extract("year", Batch.harvest_end) * 100 + extract("month", Batch.harvest_end), Integer).label("ym"),
            (_kg(Batch.initial_quantity, Batch.unit) * Plot.area_ha / lot_area).label("quantity_kg"),
        )
        .select_from(Event)
        .join(EventQuantity, and_(EventQuantity.event_id == Event.id, EventQuantity.role == QuantityRole.OUTPUT))
        .join(Batch, Batch.id == EventQuantity.batch_id)
        .join(BatchPlot, BatchPlot.batch_id == Batch.id)
        .join(Plot, Plot.id == BatchPlot.plot_id)
        .where(Event.operation == HARVEST, ~never_occurred)
    )


def _certified(shares, certificate_type: CertificateType | None):
    """The plot was covered on the harvest day by a certificate (of ``certificate_type``) not rejected."""
    link = aliased(CertificatePlot)
    condition = and_(
        link.plot_id == shares.c.plot_id,
        Certificate.valid_from <= shares.c.harvested_on,
        Certificate.valid_to >= shares.c.harvested_on,
        Certificate.verification != VerificationState.REJECTED,
    )
    if certificate_type is not None:
        condition = and_(condition, Certificate.type == certificate_type)
    return select(link.id).join(Certificate, Certificate.id == link.certificate_id).where(condition).exists()


def _insert(certification: str, shares, where=None):
    cells = select(
        shares.c.commodity,
        shares.c.product,
        shares.c.commune_code,
        shares.c.producer_id,
        literal(certification).label("certification"),
        shares.c.ym,
        func.sum(shares.c.quantity_kg).label("quantity_kg"),
        func.count(func.distinct(shares.c.batch_id)).label("lots"),
    ).group_by(shares.c.commodity, shares.c.product, shares.c.commune_code, shares.c.producer_id, shares.c.ym)
    if where is not None:
        cells = cells.where(where)
    columns = ["commodity", "product", "commune_code", "producer_id", "certification", "ym", "quantity_kg", "lots"]
    return insert(HarvestRollup).from_select(columns, cells)


def source_version() -> tuple[int, str]:
    """The last event's id, and a version of everything the rollup reads that changes when any of it does."""
    last_event_id = db.session.scalar(select(func.coalesce(func.max(Event.id), 0)))
    certificates = db.session.execute(
        select(func.count(Certificate.id), func.max(Certificate.id), func.max(Certificate.verified_at))
    ).one()
    plots = db.session.execute(select(func.count(Plot.id), func.max(Plot.updated_at))).one()
    parts = (last_event_id, *certificates, *plots)
    return last_event_id, "|".join("" if part is None else str(part) for part in parts)[:120]


def refresh() -> dict:
    """Rebuild the rollup from the event log and record the refresh: one transaction."""
    started = time.perf_counter()
    last_event_id, version = source_version()
    shares = harvest_shares().where(Event.id <= last_event_id).subquery("shares")
    db.session.execute(delete(HarvestRollup))
    db.session.execute(_insert("", shares))
    db.session.execute(_insert(ANY, shares, _certified(shares, None)))
    for certificate_type in CertificateType:
        db.session.execute(_insert(certificate_type.value, shares, _certified(shares, certificate_type)))
    rows = db.session.scalar(select(func.count()).select_from(HarvestRollup))
    seconds = Decimal(f"{time.perf_counter() - started:.4f}")
    record = db.session.get(RollupRefresh, NAME) or RollupRefresh(name=NAME)
    record.refreshed_at, record.last_event_id, record.rows, record.seconds = utcnow(), last_event_id, rows, seconds
    record.source_version = version
    db.session.add(record)
    db.session.commit()
    return {"rows": rows, "last_event_id": last_event_id, "seconds": float(seconds)}


def _pending_since(last_event_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Event)
        .where(Event.id > last_event_id, Event.operation.in_((HARVEST, "correct")))
    )


def freshness() -> Freshness:
    record = db.session.get(RollupRefresh, NAME)
    if record is None:
        return Freshness(refreshed_at=None, pending=_pending_since(0))
    return Freshness(refreshed_at=record.refreshed_at, pending=_pending_since(record.last_event_id))


def refresh_if_stale(*, force: bool = False) -> dict:
    """``refresh`` when events, certificates or plots changed since the last one (or when ``force``)."""
    record = db.session.get(RollupRefresh, NAME)
    last_event_id, version = source_version()
    if not force and record is not None and record.source_version == version:
        db.session.rollback()
        return {"rows": record.rows, "last_event_id": last_event_id, "skipped": True}
    return refresh()
