"""What split, merge and transform share: their sizes, the origin plots an output inherits, the links they write."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from core.extensions import db
from traceability.models import Batch, BatchLink, BatchPlot, Event
from traceability.services import ledger

REPACKAGING = "repackaging"
# Sizes of one operation: enough for a co-op's collection day, small enough to answer quickly.
MAX_PARTS = 50
MAX_INPUTS = 100
MAX_OUTPUTS = 10


def plots_of(batches: list[Batch]) -> set[int]:
    """The union of the batches' origin plots: what every output made from them comes from."""
    return set(db.session.scalars(select(BatchPlot.plot_id).where(BatchPlot.batch_id.in_([b.id for b in batches]))))


def link(parents: list[tuple[Batch, Decimal]], children: list[Batch], event: Event) -> None:
    """Record that each child was made (by ``event``) from each parent, with what was taken of that parent."""
    for parent, taken in parents:
        for child in children:
            db.session.add(
                BatchLink(parent_id=parent.id, child_id=child.id, event_id=event.id, quantity=ledger.quantize(taken))
            )


def harvest_range(batches: list[Batch]) -> dict:
    """The harvest period an output of these batches covers: the earliest start to the latest end."""
    starts = [b.harvest_start for b in batches if b.harvest_start]
    ends = [b.harvest_end or b.harvest_start for b in batches if b.harvest_end or b.harvest_start]
    return {"harvest_start": min(starts) if starts else None, "harvest_end": max(ends) if ends else None}


def clean_note(note: str | None) -> str | None:
    return (note or "").strip() or None
