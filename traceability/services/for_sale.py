"""Lots for sale: the public interface through which other domains (the marketplace) read what they may sell.

The market never reads traceability tables itself (an import-linter contract keeps
it so); it calls these functions, which answer with plain dataclasses and dicts:
the facts a listing is made from and searched by (``ListingSource``), whether a
lot can still be sold from (``LotForSale``), its recalls and its trace summary.

A lot keeps changing after it is listed: it can be recalled, split, merged,
transformed or shipped away, and the ledger does not know about listings
(traceability never imports market). So the market asks here, at the moments
that matter: search filters with ``saleable_clause`` (a recalled lot, or one no
longer held, drops out of the results at once), and checkout and acceptance
read ``lock_for_sale`` under the lot's row lock, so that what they check cannot
change before they commit. What is wrong with a lot is a code (``problem``);
the market words it for its reader.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, exists, func, select

from core.accounts.models import Organization, User
from core.extensions import db
from traceability import catalog
from traceability.models import (
    Batch,
    BatchPlot,
    BatchStatus,
    Certificate,
    CertificatePlot,
    EventQuantity,
    Plot,
    RecalledBatch,
    VerificationState,
)
from traceability.services import batches, ledger, summaries
from traceability.services.access import Reader, check_actable, lock_actable, readable_batch
from traceability.services.eudr import readiness_many
from traceability.services.event_input import today
from traceability.services.recalls import recall_statuses


@dataclass(frozen=True)
class ListingSource:
    """The facts of a lot that a listing shows and is searched by."""

    id: int
    code: str
    commodity: str
    product: str
    grade: str | None
    unit: str
    remaining_kg: Decimal
    custodian_id: int
    status: str
    eudr_applicable: bool
    eudr_ready: bool | None
    certifications: tuple[str, ...]
    commune_codes: tuple[str, ...]
    harvest_start: date | None
    harvest_end: date | None
    recalled: bool = False


def _certifications(batch_ids: list[int], today: date) -> dict[int, tuple[str, ...]]:
    """Verified certificates valid today that cover some origin plot of each lot."""
    result: dict[int, set[str]] = defaultdict(set)
    if batch_ids:
        rows = db.session.execute(
            select(BatchPlot.batch_id, Certificate.type)
            .join(CertificatePlot, CertificatePlot.plot_id == BatchPlot.plot_id)
            .join(Certificate, Certificate.id == CertificatePlot.certificate_id)
            .where(
                BatchPlot.batch_id.in_(batch_ids),
                Certificate.verification == VerificationState.VERIFIED,
                Certificate.valid_from <= today,
                Certificate.valid_to >= today,
            )
            .distinct()
        )
        for batch_id, kind in rows:
            result[batch_id].add(kind.value)
    return {batch_id: tuple(sorted(result[batch_id])) for batch_id in batch_ids}


def _communes(batch_ids: list[int]) -> dict[int, tuple[str, ...]]:
    result: dict[int, set[str]] = defaultdict(set)
    if batch_ids:
        rows = db.session.execute(
            select(BatchPlot.batch_id, Plot.commune_code)
            .join(Plot, Plot.id == BatchPlot.plot_id)
            .where(BatchPlot.batch_id.in_(batch_ids))
            .distinct()
        )
        for batch_id, commune in rows:
            result[batch_id].add(commune)
    return {batch_id: tuple(sorted(result[batch_id])) for batch_id in batch_ids}


def _sources(batches: list[Batch]) -> dict[int, ListingSource]:
    ids = [b.id for b in batches]
    eudr = readiness_many(batches)
    certificates = _certifications(ids, today())  # valid today in Vietnam, whatever the server's time zone
    communes = _communes(ids)
    recalled = _recalled(ids)
    return {
        b.id: ListingSource(
            id=b.id,
            code=b.code,
            commodity=b.commodity,
            product=b.product,
            grade=b.grade,
            unit=b.unit,
            remaining_kg=catalog.to_kg(b.quantity_remaining, b.unit),
            custodian_id=b.custodian_id,
            status=b.status.value,
            eudr_applicable=eudr[b.id].applicable,
            eudr_ready=eudr[b.id].ready,
            certifications=certificates[b.id],
            commune_codes=communes[b.id],
            harvest_start=b.harvest_start,
            harvest_end=b.harvest_end,
            recalled=b.id in recalled,
        )
        for b in batches
    }


def source_for_listing(user: User, code: str, *, lock: bool = False) -> ListingSource:
    """The lot ``code`` if ``user`` may sell it: 404 unseen, 403 read-only, 409 in transit or used up.

    ``lock`` takes the lot's row lock first, so that the quantities other listings
    claim can be compared with what it holds without a concurrent change.
    """
    if lock:
        _reader, (batch,) = lock_actable(user, [code], field="batch_code")
    else:
        reader = Reader(user)
        batch = readable_batch(user, code, reader)
        check_actable(reader, batch, "batch_code")
    return _sources([batch])[batch.id]


def lots_to_offer(user: User, organization_id: int, *, limit: int = 100) -> list[dict]:
    """The active lots ``organization_id`` holds, described as the batch pages show them, for a seller to pick from."""
    found, _total = batches.list_batches(user, custodian_id=organization_id, include_consumed=False, limit=limit)
    return [lot for lot in summaries.describe_batches(found) if lot["status"] == "active"]


def lock_source(batch_id: int) -> ListingSource:
    """The lot behind an existing listing, locked (its seller was checked by the market)."""
    batch = ledger.lock_batches([batch_id])[batch_id]
    return _sources([batch])[batch.id]


def sources(batch_ids: Iterable[int]) -> dict[int, ListingSource]:
    ids = sorted(set(batch_ids))
    if not ids:
        return {}
    return _sources(list(db.session.scalars(select(Batch).where(Batch.id.in_(ids)))))


def _recalled(batch_ids: list[int]) -> set[int]:
    if not batch_ids:
        return set()
    return set(db.session.scalars(select(RecalledBatch.batch_id).where(RecalledBatch.batch_id.in_(batch_ids))))


RECALLED, NOT_HELD, USED_UP = "recalled", "not_held", "used_up"


@dataclass(frozen=True)
class LotForSale:
    """What decides whether anything more can be sold from a lot: recall, custody, what is left."""

    id: int
    code: str
    remaining_kg: Decimal
    custodian_id: int
    status: str
    recalled: bool

    def problem(self, seller_id: int) -> str | None:
        """``recalled``, ``not_held`` (shipped away, in transit) or ``used_up``; None when ``seller_id`` may sell from
        it."""
        if self.recalled:
            return RECALLED
        if self.custodian_id != seller_id or self.status == BatchStatus.IN_TRANSIT.value:
            return NOT_HELD
        if self.status != BatchStatus.ACTIVE.value or self.remaining_kg <= 0:
            return USED_UP
        return None


def _for_sale(batches: Iterable[Batch]) -> dict[int, LotForSale]:
    batches = list(batches)
    recalled = _recalled([b.id for b in batches])
    return {
        b.id: LotForSale(
            b.id, b.code, catalog.to_kg(b.quantity_remaining, b.unit), b.custodian_id, b.status.value, b.id in recalled
        )
        for b in batches
    }


def lots_for_sale(batch_ids: Iterable[int]) -> dict[int, LotForSale]:
    """The sale facts of each lot, read without a lock (to show a buyer what they cannot order)."""
    ids = sorted(set(batch_ids))
    return _for_sale(db.session.scalars(select(Batch).where(Batch.id.in_(ids)))) if ids else {}


def lock_for_sale(batch_ids: Iterable[int]) -> dict[int, LotForSale]:
    """The sale facts of each lot, read under its row lock (primary-key order), for a checkout or an acceptance.

    The lock is the one every ledger operation takes, so a split, shipment or
    recall waits for the caller's commit, and the caller sees any committed before.
    """
    return _for_sale(ledger.lock_batches(batch_ids).values())


def saleable_clause(batch_id: ColumnElement[int], seller_id: ColumnElement[int]) -> ColumnElement[bool]:
    """A SQL condition, for the market's search: the lot ``batch_id`` is held by ``seller_id``, active, has something
    left and is not recalled.

    Two correlated lookups by key (the lot's primary key, the recall index), so a
    search stays one query.
    """
    held = exists().where(
        Batch.id == batch_id,
        Batch.custodian_id == seller_id,
        Batch.status == BatchStatus.ACTIVE,
        Batch.quantity_remaining > 0,
    )
    return held & ~exists().where(RecalledBatch.batch_id == batch_id)


def recalls(batch_ids: Iterable[int]) -> dict[int, dict]:
    """The latest recall reaching each lot, as a buyer reads it: {"reason", "at"}; lots never recalled are absent."""
    return {
        batch_id: {"reason": entry.reason, "at": entry.at} for batch_id, entry in recall_statuses(batch_ids).items()
    }


def trace_summaries(batch_ids: Iterable[int]) -> dict[int, dict]:
    """What a buyer reads about each lot before buying: origin, farms, harvest, certificates, EUDR, record count.

    Only what the public trace page shows as well (no plot geometry, no person's name).
    """
    ids = sorted(set(batch_ids))
    if not ids:
        return {}
    batches = list(db.session.scalars(select(Batch).where(Batch.id.in_(ids))))
    facts = _sources(batches)
    eudr = readiness_many(batches)
    farms: dict[int, set[str]] = defaultdict(set)
    plot_counts: dict[int, int] = defaultdict(int)
    rows = db.session.execute(
        select(BatchPlot.batch_id, Organization.name)
        .join(Plot, Plot.id == BatchPlot.plot_id)
        .join(Organization, Organization.id == Plot.organization_id)
        .where(BatchPlot.batch_id.in_(ids))
    )
    for batch_id, farm in rows:
        farms[batch_id].add(farm)
        plot_counts[batch_id] += 1
    events = dict(
        db.session.execute(
            select(EventQuantity.batch_id, func.count(func.distinct(EventQuantity.event_id)))
            .where(EventQuantity.batch_id.in_(ids))
            .group_by(EventQuantity.batch_id)
        ).all()
    )
    result = {}
    for batch in batches:
        fact = facts[batch.id]
        form = catalog.PRODUCTS.get(batch.product)
        result[batch.id] = {
            "code": batch.code,
            "commodity": batch.commodity,
            "product": batch.product,
            "product_name": str(form.name) if form else batch.product,
            "grade": batch.grade,
            "harvest_start": batch.harvest_start,
            "harvest_end": batch.harvest_end,
            "commune_codes": list(fact.commune_codes),
            "farms": sorted(farms[batch.id]),
            "plot_count": plot_counts[batch.id],
            "certifications": list(fact.certifications),
            "eudr_applicable": eudr[batch.id].applicable,
            "eudr_ready": eudr[batch.id].ready,
            "eudr_reasons": eudr[batch.id].reasons,
            "event_count": events.get(batch.id, 0),
            "unknown_origin": batch.unknown_origin,
        }
    return result
