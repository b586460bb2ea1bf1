"""Lineage: every batch a lot came from (back to the farms) and went into (forward to the buyers).

Each direction is ONE recursive query over ``batch_links`` (SQLAlchemy
``.cte(recursive=True)``, the same SQL on SQLite and PostgreSQL), joined to the
batches and their custodians in the same statement: the number of round trips
does not grow with the number of ancestors. The CTE uses UNION, not UNION ALL,
so a lot that reaches an ancestor along several paths (split, then merged back)
does not multiply rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import literal, select

from core.accounts.models import Organization, User
from core.extensions import db
from traceability.models import Batch, BatchLink, BatchPlot, BatchStatus, Plot, Shipment, ShipmentStatus
from traceability.services.access import readable_batch

ANCESTORS = "ancestors"
DESCENDANTS = "descendants"


class BatchRow(NamedTuple):
    """The columns of a lot that lineage's callers show, read-only and not attached to the session.

    A lineage can hold thousands of lots; making each an ORM ``Batch`` (identity map, instance state) cost four
    times the query itself, so ancestors and descendants come back as plain rows with the same attribute names.
    """

    id: int
    code: str
    commodity: str
    product: str
    grade: str | None
    unit: str
    initial_quantity: Decimal
    quantity_remaining: Decimal
    gtin: str | None
    lot_number: str | None
    status: BatchStatus
    custodian_id: int
    harvest_start: date | None
    harvest_end: date | None
    created_at: datetime


BATCH_ROW_COLUMNS = tuple(getattr(Batch, name) for name in BatchRow._fields)


@dataclass(frozen=True)
class Node:
    batch: Batch | BatchRow  # the start of a lineage is the caller's Batch; the lots reached are BatchRows
    depth: int  # 1 = a direct parent (or child)
    custodian_name: str


@dataclass(frozen=True)
class Edge:
    parent_code: str
    child_code: str
    event_id: int
    quantity: Decimal | None


@dataclass
class Lineage:
    batch: Batch
    custodian_name: str
    ancestors: list[Node] = field(default_factory=list)
    descendants: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    plots: list[Plot] = field(default_factory=list)
    custody: list[dict] = field(default_factory=list)

    @property
    def root(self) -> Node:
        return Node(self.batch, 0, self.custodian_name)


def walk_cte(start_id: int, direction: str):
    """Rows (batch_id, via_id, event_id, quantity, depth): ``batch_id`` is linked to ``via_id`` one step nearer the
    start."""
    links = BatchLink.__table__
    if direction == ANCESTORS:
        far, near = links.c.parent_id, links.c.child_id
    else:
        far, near = links.c.child_id, links.c.parent_id
    seed = select(
        far.label("batch_id"), near.label("via_id"), links.c.event_id, links.c.quantity, literal(1).label("depth")
    ).where(near == start_id)
    walk = seed.cte(f"{direction}_walk", recursive=True)
    step = select(far, near, links.c.event_id, links.c.quantity, walk.c.depth + 1).join(walk, near == walk.c.batch_id)
    return walk.union(step)


def related_ids(start_id: int, direction: str) -> set[int]:
    """Just the ids of every ancestor (or descendant): one query."""
    walk = walk_cte(start_id, direction)
    return set(db.session.scalars(select(walk.c.batch_id).distinct()))


def lineage_nodes(start: Batch, direction: str) -> tuple[list[Node], list[Edge]]:
    """The batches reached from ``start`` in ``direction`` with their depth, and the edges walked (one query).

    The batches are also restricted to ``IN (SELECT batch_id FROM walk)``: PostgreSQL cannot estimate how many
    rows a recursive walk gives (it guesses thousands of times too many), and without the restriction it read
    every batch to join them; with it, it looks each one up by primary key. The code of the batch one step nearer
    the start is taken from the rows themselves (it is the start or another batch reached), not joined again.
    """
    walk = walk_cte(start.id, direction)
    width = len(BATCH_ROW_COLUMNS)
    rows = db.session.execute(
        select(*BATCH_ROW_COLUMNS, Organization.name, walk.c.depth, walk.c.event_id, walk.c.quantity, walk.c.via_id)
        .join(walk, walk.c.batch_id == Batch.id)
        .join(Organization, Organization.id == Batch.custodian_id)
        .where(Batch.id.in_(select(walk.c.batch_id)))
    ).all()
    codes = {start.id: start.code}
    codes.update((row[0], row[1]) for row in rows)
    nearest: dict[int, Node] = {}
    edges: set[Edge] = set()
    for row in rows:
        batch_id, code = row[0], row[1]
        custodian_name, depth, event_id, quantity, via_id = row[width:]
        if batch_id not in nearest or depth < nearest[batch_id].depth:
            nearest[batch_id] = Node(BatchRow(*row[:width]), depth, custodian_name)
        if direction == ANCESTORS:
            edges.add(Edge(code, codes[via_id], event_id, quantity))
        else:
            edges.add(Edge(codes[via_id], code, event_id, quantity))
    nodes = sorted(nearest.values(), key=lambda node: (node.depth, node.batch.id))
    return nodes, sorted(edges, key=lambda edge: (edge.event_id, edge.parent_code, edge.child_code))


def custody_of(batch: Batch) -> list[dict]:
    """Who held the batch, oldest first: the first holder, then each organization it was shipped to."""
    sender, receiver = Organization.__table__.alias("sender"), Organization.__table__.alias("receiver")
    rows = db.session.execute(
        select(Shipment, sender.c.name, receiver.c.name)
        .join(sender, sender.c.id == Shipment.from_organization_id)
        .join(receiver, receiver.c.id == Shipment.to_organization_id)
        .where(Shipment.batch_id == batch.id)
        .order_by(Shipment.id)
    ).all()
    if not rows:
        name = db.session.scalar(select(Organization.name).where(Organization.id == batch.custodian_id))
        return [
            {
                "organization_id": batch.custodian_id,
                "organization_name": name,
                "since": batch.created_at,
                "until": None,
                "shipment_id": None,
            }
        ]
    first, first_sender, _ = rows[0]
    holders = [
        {
            "organization_id": first.from_organization_id,
            "organization_name": first_sender,
            "since": batch.created_at,
            "until": None,
            "shipment_id": None,
        }
    ]
    for shipment, _sender_name, receiver_name in rows:
        holders[-1]["until"] = shipment.shipped_at
        received = shipment.status is ShipmentStatus.RECEIVED
        holders.append(
            {
                "organization_id": shipment.to_organization_id,
                "organization_name": receiver_name,
                "since": shipment.received_at if received else None,
                "until": None,
                "shipment_id": shipment.id,
                "in_transit": not received,
            }
        )
    return holders


def lineage(user: User | None, code: str) -> Lineage:
    """Ancestors, descendants, edges, origin plots and custody of the batch ``code`` (404 if the user may not see it)"""
    batch = readable_batch(user, code)
    ancestors, back = lineage_nodes(batch, ANCESTORS)
    descendants, forward = lineage_nodes(batch, DESCENDANTS)
    plots = db.session.scalars(
        select(Plot)
        .join(BatchPlot, BatchPlot.plot_id == Plot.id)
        .where(BatchPlot.batch_id == batch.id)
        .order_by(Plot.id)
    ).all()
    custody = custody_of(batch)
    holder = next((h["organization_name"] for h in custody if h["organization_id"] == batch.custodian_id), "")
    return Lineage(batch, holder, ancestors, descendants, back + forward, list(plots), custody)
