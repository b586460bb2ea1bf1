"""What happened to a lot, as the public may see it: the steps, who held it when, and where from.

The lineage's events, their quantity lines and the shipments are each loaded in
one query whatever the lineage's size. The page then follows the lot's main
path (from the lot back through its largest input at each step to a harvest)
for the timeline and the custody chain, and summarizes the rest, so that a lot
made of hundreds of lots still makes a short page.

Event notes, anomaly reasons and correction notes are free text typed by
producers and may hold a phone number or a street: they are not shown. A
household's facility name is not shown either, only the commune.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import select

from core.accounts.models import Organization, OrganizationKind
from core.extensions import db
from traceability.models import Batch, ErrorDeclaration, Event, EventQuantity, QuantityRole, Shipment, ShipmentStatus
from traceability.services.event_input import step_word
from traceability.services.integrity import Line, quantity_lines
from traceability.services.lineage import Edge
from traceability.services.scans import VIETNAM
from traceability.services.trace_page.origin import commune_label

TIMELINE_HEAD = 4  # the oldest steps kept when a timeline is cut
TIMELINE_TAIL = 20  # and the newest
CUSTODY_MAX = 12
PHOTOS_PER_STEP = 3
HARVESTS_MAX = 12


def harvest_days(event: Event) -> tuple[date, date] | None:
    """(first, last) day of a harvest event as the producer gave them (its ILMD); None for any other event."""
    ilmd = (event.extra or {}).get("ilmd") or {}
    if event.operation != "harvest" or not ilmd.get("harvest_start"):
        return None
    start = date.fromisoformat(ilmd["harvest_start"])
    return start, date.fromisoformat(ilmd.get("harvest_end") or ilmd["harvest_start"])


def happened_at(event: Event) -> datetime:
    """When the event happened, not when it was typed: a harvest recorded days later happened on its harvest day.

    A step's event time is the time its producer gave (or the moment it was recorded, when they gave none); a
    harvest's is trusted only when it falls within the harvest's own days, else the harvest's first day counts.
    """
    days = harvest_days(event)
    if days is None or days[0] <= event.event_time.astimezone(VIETNAM).date() <= days[1]:
        return event.event_time
    return datetime.combine(days[0], time(0), VIETNAM)


@dataclass(frozen=True)
class LoadedEvent:
    event: Event
    declaration: ErrorDeclaration | None
    organization_name: str
    organization_kind: OrganizationKind


def load_events(batch_ids: list[int]) -> tuple[list[LoadedEvent], list[Line]]:
    """Every event touching ``batch_ids`` (with its error declaration and organization) and all their quantity lines:
    two queries."""
    touching = select(EventQuantity.event_id).where(EventQuantity.batch_id.in_(batch_ids))
    rows = db.session.execute(
        select(Event, ErrorDeclaration, Organization.name, Organization.kind)
        .outerjoin(ErrorDeclaration, ErrorDeclaration.event_id == Event.id)
        .join(Organization, Organization.id == Event.organization_id)
        .where(Event.id.in_(touching))
        .order_by(Event.id)
    ).all()
    return [LoadedEvent(*row) for row in rows], quantity_lines(touching)


@dataclass(frozen=True)
class Transfer:
    batch_id: int
    from_name: str
    to_name: str
    shipped_at: datetime
    received_at: datetime | None


def load_transfers(batch_ids: list[int]) -> list[Transfer]:
    """Shipments of the lineage's batches with both parties' names, in the order they left (one query)."""
    sender, receiver = Organization.__table__.alias("sender"), Organization.__table__.alias("receiver")
    rows = db.session.execute(
        select(
            Shipment.batch_id,
            sender.c.name,
            receiver.c.name,
            Shipment.shipped_at,
            Shipment.received_at,
            Shipment.status,
        )
        .join(sender, sender.c.id == Shipment.from_organization_id)
        .join(receiver, receiver.c.id == Shipment.to_organization_id)
        .where(Shipment.batch_id.in_(batch_ids))
        .order_by(Shipment.shipped_at, Shipment.id)
    ).all()
    return [
        Transfer(batch_id, sent, got, shipped, received if status is ShipmentStatus.RECEIVED else None)
        for batch_id, sent, got, shipped, received, status in rows
    ]


def main_path(code: str, edges: list[Edge]) -> list[str]:
    """Codes from a harvest to the lot ``code``, stepping back through the largest input each time; oldest first."""
    parents: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        parents[edge.child_code].append(edge)
    path, seen = [code], {code}
    while parents[path[-1]]:
        best = max(parents[path[-1]], key=lambda e: (e.quantity or Decimal(0), e.parent_code))
        if best.parent_code in seen:
            break
        path.append(best.parent_code)
        seen.add(best.parent_code)
    return list(reversed(path))


@dataclass
class Step:
    event_id: int
    operation: str
    step: str
    time: datetime  # when it happened (``happened_at``), never when it was typed
    organization_name: str
    place: str | None
    measurements: list[dict]
    quantities: list[tuple[str, Decimal, str, str]]  # (sign, quantity, unit, lot code)
    photo_ids: list[str]
    inputs: int  # lots taken in by a merge or transformation
    corrected: bool = False
    correction_reason: str | None = None  # did_not_occur | incorrect_data
    corrects: bool = False
    days: tuple[date, date] | None = None  # a harvest's own days, shown instead of ``time``
    photos: list = field(default_factory=list)  # filled once the photos are loaded


def _place(loaded: LoadedEvent, plot_communes: dict[int, str | None]) -> str | None:
    event = loaded.event
    commune = commune_label(event.location_commune_code) or (
        plot_communes.get(event.plot_id) if event.plot_id else None
    )
    if event.location_name and loaded.organization_kind is not OrganizationKind.HOUSEHOLD:
        return f"{event.location_name}, {commune}" if commune else event.location_name
    return commune


def _measurements(event: Event) -> list[dict]:
    shown = []
    for item in event.measurements or []:
        try:
            shown.append({"type": item["type"], "value": Decimal(str(item["value"])), "unit": item.get("unit")})
        except (KeyError, ArithmeticError, ValueError):
            continue
    return shown


def build_steps(
    loaded: list[LoadedEvent], lines: list[Line], path_ids: set[int], plot_communes: dict[int, str | None]
) -> list[Step]:
    """The steps of the lots on the main path, oldest first, each corrective step right after the one it corrects."""
    by_event: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        by_event[line.event_id].append(line)
    chosen = [item for item in loaded if any(line.batch_id in path_ids for line in by_event[item.event.id])]
    chosen.sort(key=lambda item: (happened_at(item.event), item.event.id))
    uuid_of = {item.event.event_uuid: item.event.id for item in chosen}
    corrective: dict[int, list[LoadedEvent]] = defaultdict(list)
    for item in chosen:
        original = uuid_of.get((item.event.extra or {}).get("corrects"))
        if original is not None:
            corrective[original].append(item)
    ordered: list[LoadedEvent] = []
    for item in chosen:
        if uuid_of.get((item.event.extra or {}).get("corrects")) is not None:
            continue  # shown next to the step it corrects
        ordered.append(item)
        ordered.extend(corrective[item.event.id])

    steps = []
    for item in ordered:
        event = item.event
        own = [
            line for line in by_event[event.id] if line.batch_id in path_ids and line.role is not QuantityRole.OBSERVED
        ]
        made = [line for line in own if line.role is QuantityRole.OUTPUT]
        own = made or own  # a step that made a lot on the path shows what it made; else what the lot lost
        steps.append(
            Step(
                event_id=event.id,
                operation=event.operation,
                step=step_word(event.biz_step),
                time=happened_at(event),
                organization_name=item.organization_name,
                place=_place(item, plot_communes),
                measurements=_measurements(event),
                quantities=[
                    ("+" if line.role is QuantityRole.OUTPUT else "−", line.quantity, line.unit, line.batch_code)
                    for line in own
                ],
                photo_ids=list(event.photos or [])[:PHOTOS_PER_STEP],
                inputs=sum(1 for line in by_event[event.id] if line.role is QuantityRole.INPUT)
                if event.operation in ("merge", "transform")
                else 0,
                corrected=item.declaration is not None,
                correction_reason=item.declaration.reason if item.declaration else None,
                corrects=bool((event.extra or {}).get("corrects")),
                days=harvest_days(event),
            )
        )
    return steps


def cut(steps: list[Step]) -> tuple[list[Step], int, list[Step]]:
    """(oldest steps, how many are left out, newest steps): a long story keeps its beginning and its end."""
    if len(steps) <= TIMELINE_HEAD + TIMELINE_TAIL:
        return steps, 0, []
    return steps[:TIMELINE_HEAD], len(steps) - TIMELINE_HEAD - TIMELINE_TAIL, steps[-TIMELINE_TAIL:]


@dataclass
class Holder:
    name: str
    since: datetime | None
    until: datetime | None = None
    in_transit: bool = False


def custody_chain(
    path: list[Batch], loaded: list[LoadedEvent], lines: list[Line], transfers: list[Transfer]
) -> tuple[list[Holder], int]:
    """Who held the produce along the main path, oldest first, consecutive stays with one holder merged; and how many
    were left out."""
    names = {
        item.event.id: (item.event.organization_id, item.organization_name, happened_at(item.event)) for item in loaded
    }
    made: dict[int, int] = {}
    for line in lines:
        if line.role is QuantityRole.OUTPUT and line.batch_id not in made:
            made[line.batch_id] = line.event_id
    moves: dict[int, list[Transfer]] = defaultdict(list)
    for transfer in transfers:
        moves[transfer.batch_id].append(transfer)
    holders: list[Holder] = []

    def hold(name: str, since: datetime | None, in_transit: bool = False) -> None:
        if holders and holders[-1].name == name and not holders[-1].in_transit and not in_transit:
            return
        if holders and holders[-1].until is None:
            holders[-1].until = since
        holders.append(Holder(name, since, in_transit=in_transit))

    for batch in path:
        if batch.id in made and made[batch.id] in names:
            _org, name, when = names[made[batch.id]]
            hold(name, when)
        for transfer in moves[batch.id]:
            if transfer.received_at is None:
                hold(transfer.to_name, transfer.shipped_at, in_transit=True)
            else:
                if holders and holders[-1].name == transfer.from_name:
                    holders[-1].until = transfer.shipped_at
                hold(transfer.to_name, transfer.received_at)
    if len(holders) <= CUSTODY_MAX:
        return holders, 0
    return holders[:2] + holders[-(CUSTODY_MAX - 2) :], len(holders) - CUSTODY_MAX


@dataclass(frozen=True)
class Harvest:
    code: str  # the harvested lot
    farm_names: list[str]  # the organizations farming its plots (the one that recorded it, for a lot without plots)
    plot_names: list[str]
    days: tuple[date, date] | None


def harvests(loaded: list[LoadedEvent], lines: list[Line], plots: dict[int, tuple[str, str]]) -> list[Harvest]:
    """Every harvest of the lineage, oldest first, with its farms and plots (``plots``: id → (farm, plot name)).

    A lot merged from three households' harvests shows three harvests, not just the one on its main path; a harvest
    declared as never having happened is left out.
    """
    made = {line.event_id: line.batch_code for line in lines if line.role is QuantityRole.OUTPUT}
    found = []
    for item in loaded:
        event = item.event
        if event.operation != "harvest" or event.id not in made:
            continue
        if item.declaration is not None and item.declaration.reason == "did_not_occur":
            continue
        plot_ids = ((event.extra or {}).get("ilmd") or {}).get("plot_ids") or []
        known = [plots[plot_id] for plot_id in plot_ids if plot_id in plots]
        farm_names = list(dict.fromkeys(farm for farm, _name in known)) or [item.organization_name]
        found.append(
            (
                happened_at(event),
                Harvest(made[event.id], farm_names, [name for _farm, name in known], harvest_days(event)),
            )
        )
    found.sort(key=lambda pair: (pair[0], pair[1].code))
    return [harvest for _when, harvest in found]
