"""What the marketplace needs from the ledger: a lot's saleable facts, its trace summary, and fulfilment.

The market never reads traceability tables itself (an import-linter contract keeps
it so); it calls these functions, which answer with plain dataclasses and dicts.

A lot keeps changing after it is listed: it can be recalled, split, merged,
transformed or shipped away, and the ledger does not know about listings
(traceability never imports market). So the market asks here, at the moments
that matter: search filters with ``saleable_clause`` (a recalled lot, or one no
longer held, drops out of the results at once), and checkout and acceptance
read ``lock_for_sale`` under the lot's row lock, so that what they check cannot
change before they commit.

Fulfilment of a sale is traceability: ``ship_to_buyer`` splits the sold quantity
off the seller's lot into a new lot (its own code and QR, same origin plots, a
lineage edge to the parent) and ships that lot to the buyer's organization;
``receive_for_buyer`` records its arrival, after which the buyer holds it. Neither
commits: the market's order transition and these events are one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, exists, func, select

from core.accounts.models import Organization, User
from core.db import utcnow
from core.errors import Conflict, ValidationError
from core.extensions import db
from traceability import catalog
from traceability.models import (
    Batch,
    BatchLink,
    BatchPlot,
    BatchStatus,
    Certificate,
    CertificatePlot,
    EventQuantity,
    EventType,
    Plot,
    QuantityRole,
    RecalledBatch,
    Shipment,
    ShipmentStatus,
    VerificationState,
)
from traceability.services import ledger
from traceability.services.access import Reader, check_actable, lock_actable, readable_batch
from traceability.services.batches import add_plots, mark_consumed_if_empty, new_batch
from traceability.services.eudr import readiness_many
from traceability.services.event_input import today
from traceability.services.recalls import recall_statuses

SALE_SPLIT_STEP = "repackaging"


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

    def refusal(self, seller_id: int) -> str | None:
        """Why ``seller_id`` can sell nothing of this lot, in a sentence (English, for the API); None when they can."""
        return {
            RECALLED: f"Lot {self.code} is recalled; nothing of it can be sold.",
            NOT_HELD: f"Lot {self.code} is no longer held by the seller.",
            USED_UP: f"Nothing is left of lot {self.code}.",
            None: None,
        }[self.problem(seller_id)]


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


def saleable(batch_id: int, seller_id: int) -> tuple[bool, str | None]:
    """(True, None) when ``seller_id`` may sell from lot ``batch_id`` now, else (False, the reason in English)."""
    lot = lots_for_sale([batch_id]).get(batch_id)
    if lot is None:
        return False, f"No lot {batch_id}."
    reason = lot.refusal(seller_id)
    return reason is None, reason


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


def _in_unit(quantity_kg: Decimal, unit: str) -> Decimal:
    """kg → the lot's unit; refused when the lot's precision cannot hold it exactly."""
    amount = Decimal(quantity_kg) / catalog.to_kg(Decimal(1), unit)
    if ledger.quantize(amount) != amount:
        raise ValidationError(
            "Quantity too precise for the lot.",
            errors={"quantity": [f"A lot kept in {unit} cannot take {quantity_kg} kg exactly."]},
        )
    return amount


def _parties(sender: int, receiver: int) -> dict:
    return {
        "sourceList": [{"type": "owning_party", "organization_id": sender}],
        "destinationList": [{"type": "owning_party", "organization_id": receiver}],
    }


@dataclass(frozen=True)
class Delivery:
    """One sold quantity on its way: the buyer's new lot and its shipment."""

    parent_code: str
    code: str
    shipment_id: int


def ship_to_buyer(
    user: User,
    items: list[tuple[int, Decimal]],
    *,
    buyer_organization_id: int,
    reference: str,
    event_time: datetime | None = None,
) -> list[Delivery]:
    """Split each sold quantity (lot id, kg) off the seller's lot and ship the new lot to the buyer. No commit.

    The lots are locked in primary-key order and the user must be able to act on
    each (the seller). A lot without enough left raises ``MassBalanceError``.
    """
    codes = dict(db.session.execute(select(Batch.id, Batch.code).where(Batch.id.in_([i for i, _q in items]))).all())
    _reader, locked = lock_actable(user, [codes[i] for i, _q in items], field="batch_code")
    if buyer_organization_id in {b.custodian_id for b in locked}:
        raise ValidationError("Same organization.", errors={"buyer": ["The buyer already holds this lot."]})
    plots = {
        b.id: list(db.session.scalars(select(BatchPlot.plot_id).where(BatchPlot.batch_id == b.id))) for b in locked
    }
    when = event_time or utcnow()
    transaction = {"bizTransactionList": [{"type": "po", "reference": reference}]}
    deliveries = []
    for parent, (_batch_id, quantity_kg) in zip(locked, items, strict=True):
        amount = _in_unit(quantity_kg, parent.unit)
        child = new_batch(parent, initial_quantity=amount, note=f"Sold: order {reference}", created_by_id=user.id)
        add_plots(child, plots[parent.id])
        split = ledger.append_event(
            type=EventType.TRANSFORMATION,
            operation="split",
            biz_step=SALE_SPLIT_STEP,
            disposition="active",
            organization_id=parent.custodian_id,
            user_id=user.id,
            event_time=when,
            extra=transaction,
            movements=[
                ledger.Movement(parent, QuantityRole.INPUT, amount),
                ledger.Movement(child, QuantityRole.OUTPUT, amount),
            ],
        )
        db.session.add(
            BatchLink(parent_id=parent.id, child_id=child.id, event_id=split.id, quantity=ledger.quantize(amount))
        )
        mark_consumed_if_empty(parent)
        shipped = ledger.append_event(
            type=EventType.OBJECT,
            action="OBSERVE",
            operation="ship",
            biz_step="shipping",
            disposition="in_transit",
            organization_id=parent.custodian_id,
            user_id=user.id,
            event_time=when,
            movements=[ledger.Movement(child, QuantityRole.OBSERVED, child.quantity_remaining)],
            extra={**_parties(parent.custodian_id, buyer_organization_id), **transaction},
        )
        shipment = Shipment(
            batch_id=child.id,
            from_organization_id=parent.custodian_id,
            to_organization_id=buyer_organization_id,
            status=ShipmentStatus.IN_TRANSIT,
            reference=reference,
            shipped_event_id=shipped.id,
            shipped_at=when,
            shipped_by_id=user.id,
        )
        db.session.add(shipment)
        child.status = BatchStatus.IN_TRANSIT
        db.session.flush()
        deliveries.append(Delivery(parent.code, child.code, shipment.id))
    return deliveries


def receive_for_buyer(user: User, shipment_ids: list[int], *, note: str | None = None) -> None:
    """Record the arrival of sold lots: the buyer's organization becomes their custodian. No commit.

    The market decides who may confirm a delivery (the buyer, or the seller handing
    over the goods); the receiving event names the buyer's organization as the party.
    """
    shipments = list(db.session.scalars(select(Shipment).where(Shipment.id.in_(shipment_ids)).order_by(Shipment.id)))
    locked = ledger.lock_batches([s.batch_id for s in shipments])
    for shipment in shipments:
        db.session.refresh(shipment)
        if shipment.status is not ShipmentStatus.IN_TRANSIT:
            raise Conflict("This shipment was already received.")
        batch = locked[shipment.batch_id]
        event = ledger.append_event(
            type=EventType.OBJECT,
            action="OBSERVE",
            operation="receive",
            biz_step="receiving",
            disposition="in_progress",
            organization_id=shipment.to_organization_id,
            user_id=user.id,
            note=note,
            movements=[ledger.Movement(batch, QuantityRole.OBSERVED, batch.quantity_remaining)],
            extra=_parties(shipment.from_organization_id, shipment.to_organization_id),
        )
        shipment.status = ShipmentStatus.RECEIVED
        shipment.received_event_id = event.id
        shipment.received_at = utcnow()
        shipment.received_by_id = user.id
        batch.custodian_id = shipment.to_organization_id
        batch.status = BatchStatus.ACTIVE if batch.quantity_remaining > 0 else BatchStatus.CONSUMED
    db.session.flush()
