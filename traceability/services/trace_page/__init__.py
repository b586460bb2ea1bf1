"""The public trace page of a lot (``GET /t/<code>``): everything it shows, in a fixed number of queries.

Nobody signs in to read it, so it shows only what a buyer may know: product,
organization names, communes, dates, measurements, certificates, the recall
state and the tamper check, never a phone number, a street, a person's name or
a plot's exact shape.

The view first asks ``page_version`` (one query, or none while the process's
memo of it is fresh) and answers 304 when the browser's copy is current, or
sends the copy it rendered for that version (``trace_page.rendered``). Only a
new version is built by ``build_trace_page``: the lot and its holder, the recall
state, the ancestors (one recursive query), their events with error
declarations, the events' quantity lines, the origin plots with their farms,
the certificates, the shipments, the photos and the latest ledger audit's
verdict on the lineage: a dozen queries at most in all, whether the lot was made
of one lot or of hundreds. Nothing is hashed here: hashes are checked when the
ledger audit runs (``integrity.audit_ledger``), and the page says when that was.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from core.extensions import db
from core.files.images import THUMBNAIL_SIDE
from core.files.models import StoredFile
from traceability import catalog
from traceability.models import Batch, QuantityRole, Recall
from traceability.services.event_input import step_word
from traceability.services.integrity import lineage_verdict
from traceability.services.lineage import ANCESTORS, Edge, Node, lineage_nodes
from traceability.services.recalls import recall_statuses
from traceability.services.scans import VIETNAM
from traceability.services.trace_page import story
from traceability.services.trace_page.origin import (
    commune_label,
    eudr_status,
    harvest_certificates,
    load_farms,
    map_shapes,
)
from traceability.services.trace_page.rendered import pages_of
from traceability.services.trace_page.version import RENDER_VERSION, Version, load_batch, page_version

__all__ = ["RENDER_VERSION", "Version", "build_trace_page", "lineage_listing", "page_version", "pages_of"]

FARMS_MAX = 12
INPUTS_MAX = 12
LINEAGE_PER_PAGE = 50

# Shelf life by product form: (months, counted from "harvest" or "packing"); None where it does not apply
# (fresh pepper is dried within days, rubber is not a food). Kernels and dried pepper as exporters label them.
SHELF_LIFE: dict[str, tuple[int, str] | None] = {
    "raw_cashew_nuts": (12, "harvest"),
    "cashew_kernels": (12, "packing"),
    "fresh_pepper": None,
    "black_pepper": (24, "packing"),
    "white_pepper": (24, "packing"),
    "field_latex": None,
    "cup_lump": None,
    "svr": None,
    "rss": None,
}


@dataclass(frozen=True)
class ShelfLife:
    months: int | None  # None: not applicable
    counted_from: str | None  # harvest | packing
    best_before: date | None


@dataclass(frozen=True)
class Photo:
    public_id: str
    width: int  # of the thumbnail
    height: int


def add_months(day: date, months: int) -> date:
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def local_day(moment: datetime) -> date:
    return moment.astimezone(VIETNAM).date()


def shelf_life(batch: Batch, packed_at: datetime | None) -> ShelfLife:
    rule = SHELF_LIFE.get(batch.product)
    if rule is None:
        return ShelfLife(None, None, None)
    months, counted_from = rule
    start = (
        (batch.harvest_end or batch.harvest_start)
        if counted_from == "harvest"
        else (local_day(packed_at) if packed_at else None)
    )
    return ShelfLife(months, counted_from, add_months(start, months) if start else None)


def _photos(public_ids: set[str]) -> dict[str, Photo]:
    if not public_ids:
        return {}
    found = db.session.execute(
        select(StoredFile.public_id, StoredFile.width, StoredFile.height).where(StoredFile.public_id.in_(public_ids))
    ).all()
    photos = {}
    for public_id, width, height in found:
        scale = min(1.0, THUMBNAIL_SIDE / max(width, height, 1))
        photos[public_id] = Photo(public_id, max(1, round(width * scale)), max(1, round(height * scale)))
    return photos


def _product(batch: Batch) -> dict:
    form = catalog.PRODUCTS.get(batch.product)
    return {"name": form.name if form else batch.product, "grade": batch.grade, "commodity": batch.commodity}


def _recall(recall: Recall | None, lineage: dict[int, Batch]) -> dict | None:
    if recall is None:
        return None
    origin = lineage.get(recall.batch_id)
    return {"reason": recall.reason, "at": recall.at, "origin_code": origin.code if origin else None}


def _input(node: Node, edge: Edge | None) -> dict:
    """A direct input of the lot, with how much of it went in."""
    batch = node.batch
    return {
        "code": batch.code,
        "product": _product(batch),
        "holder": node.custodian_name,
        "quantity": edge.quantity if edge else None,
        "unit": batch.unit,
    }


def _plot_farms(farms: list, plots: list) -> dict[int, tuple[str, str]]:
    """Plot id → (name of the farm that farms it, plot name), for the harvest list."""
    names = {farm.organization_id: farm.name for farm in farms}
    return {plot.id: (names.get(plot.organization_id, ""), plot.name) for plot in plots}


def build_trace_page(version: Version) -> dict:
    """Everything the page shows about the lot of ``version`` (see the module's docstring for the queries)."""
    batch, custodian = load_batch(version.code)
    recall = recall_statuses([batch.id]).get(batch.id)
    ancestors, edges = lineage_nodes(batch, ANCESTORS)
    lineage = {batch.id: batch, **{node.batch.id: node.batch for node in ancestors}}
    by_code = {b.code: b for b in lineage.values()}
    loaded, lines = story.load_events(list(lineage))
    farms, plots = load_farms(batch)
    certificates = harvest_certificates(
        plots, batch.harvest_start, batch.harvest_end, {farm.organization_id: farm.name for farm in farms}
    )
    transfers = story.load_transfers(list(lineage))

    path = [by_code[code] for code in story.main_path(batch.code, edges)]
    plot_communes = {plot.id: commune_label(plot.commune_code) for plot in plots}
    steps = story.build_steps(loaded, lines, {b.id for b in path}, plot_communes)
    early, hidden, late = story.cut(steps)
    holders, holders_hidden = story.custody_chain(path, loaded, lines, transfers)
    harvests = story.harvests(loaded, lines, _plot_farms(farms, plots))

    events = {item.event.id: item for item in loaded}
    own_events = {line.event_id for line in lines if line.batch_id == batch.id}
    made_by = next(
        (line.event_id for line in lines if line.batch_id == batch.id and line.role is QuantityRole.OUTPUT), None
    )
    packing = [
        item.event for item in loaded if item.event.id in own_events and step_word(item.event.biz_step) == "packing"
    ]
    made_at = story.happened_at(events[made_by].event) if made_by in events else batch.created_at
    packed_at = max((event.event_time for event in packing), default=made_at)
    with_photos = [item.event for item in loaded if item.event.photos]
    cover = max(with_photos, key=lambda event: (event.event_time, event.id)).photos[0] if with_photos else None
    photos = _photos({*(pid for step in early + late for pid in step.photo_ids), *([cover] if cover else [])})
    for step in early + late:
        step.photos = [photos[pid] for pid in step.photo_ids if pid in photos]

    chain = lineage_verdict(version.audit, events, lineage)
    bad = events[chain.first_bad_event_id].event if chain.first_bad_event_id in events else None
    direct = {edge.parent_code: edge for edge in edges if edge.child_code == batch.code}
    inputs = [node for node in ancestors if node.depth == 1]
    has_parents = {edge.child_code for edge in edges}
    return {
        "batch": batch,
        "product": _product(batch),
        "custodian": {
            "name": custodian.name,
            "commune": commune_label(custodian.commune_code),
            "verified": custodian.is_verified,
        },
        "farms": farms[:FARMS_MAX],
        "farms_more": max(0, len(farms) - FARMS_MAX),
        "farm_count": len(farms),
        "map_shapes": map_shapes(farms[:FARMS_MAX]),
        "plot_count": len(plots),
        "made_at": made_at,
        "is_harvest_lot": not ancestors,
        "shelf_life": shelf_life(batch, packed_at),
        "cover": photos.get(cover) if cover else None,
        "recall": _recall(recall, lineage),
        "certificates": certificates,
        "eudr": eudr_status(batch, plots),
        "verification": {
            "ok": chain.ok,
            "audited_at": chain.audited_at,
            "checked": chain.checked,
            "newer": chain.newer,
            "mismatches": chain.mismatches,
            "reason": chain.reason,
            "event": {
                "operation": bad.operation,
                "step": step_word(bad.biz_step),
                "time": bad.event_time,
                "batch_code": chain.bad_batch_code,
            }
            if bad
            else None,
        },
        "harvests": harvests[: story.HARVESTS_MAX],
        "harvests_more": max(0, len(harvests) - story.HARVESTS_MAX),
        "steps_early": early,
        "steps_hidden": hidden,
        "steps_late": late,
        "custody": holders,
        "custody_hidden": holders_hidden,
        "lineage": {
            "ancestors": len(ancestors),
            "farm_lots": sum(1 for node in ancestors if node.batch.code not in has_parents),
            "depth": max((node.depth for node in ancestors), default=0),
            "events": len(loaded),
            "inputs": [_input(node, direct.get(node.batch.code)) for node in inputs[:INPUTS_MAX]],
            "inputs_more": max(0, len(inputs) - INPUTS_MAX),
        },
    }


def lineage_listing(code: str, page: int = 1, per_page: int = LINEAGE_PER_PAGE) -> dict:
    """Every lot the lot ``code`` was made from, nearest first, a page at a time, and all its farms (three queries)."""
    batch, custodian = load_batch(code)
    ancestors, _edges = lineage_nodes(batch, ANCESTORS)
    farms, plots = load_farms(batch)
    pages = max(1, -(-len(ancestors) // per_page))
    page = min(max(page, 1), pages)
    shown = ancestors[(page - 1) * per_page : page * per_page]
    return {
        "batch": batch,
        "product": _product(batch),
        "custodian_name": custodian.name,
        "farms": farms,
        "plot_count": len(plots),
        "total": len(ancestors),
        "page": page,
        "pages": pages,
        "rows": [
            {
                "code": n.batch.code,
                "product": _product(n.batch),
                "holder": n.custodian_name,
                "depth": n.depth,
                "harvest_start": n.batch.harvest_start,
                "harvest_end": n.batch.harvest_end,
            }
            for n in shown
        ],
    }
