"""The EUDR package of a rubber lot: its plots as GeoJSON for the EU Information System, and the due-diligence
information (HS code, net mass, harvest period, plots, declarations, verdict) for the operator's statement.

Who may fetch it: whoever may read the lot (people acting for its custodian, the receiver while it is shipped to
them, department officers: ``access.Reader``), and organizations that received, by a shipment now received, the
lot or a lot made from it (a buyer needs the statement of what it bought, and of the lots that went into it). Anyone
else, a supplier of the lot's inputs included, is told the lot does not exist (404), as everywhere else. A lot of
cashew or pepper is refused (409): the regulation does not cover them.

The plots are the lot's origin set (``BatchPlot``), which already follows every split, merge and transformation.
Geometry leaves exactly as stored (``Plot.geometry``, never rounded; JSON numbers written as Python's shortest
round-trip form, so 106.58123456 stays 106.58123456) and in GeoJSON's [longitude, latitude] order. A plot's
geometry is exported as it is: a polygon of a small plot is not reduced to a point (a centroid would be a position
nobody measured), and a point of a plot over 4 ha is still exported, with the verdict saying it is not enough. A
plot with no geolocation at all has no feature; the verdict names it. The verdict is ``services.eudr.readiness``'s,
rule for rule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select

from core.accounts.models import Organization, User
from core.extensions import db
from traceability import catalog
from traceability.due_diligence_pdf import render as render_pdf
from traceability.errors import BatchNotFoundError, EudrNotApplicableError, GeolocationTooLargeError
from traceability.identifiers import normalize_batch_code
from traceability.models import Batch, BatchPlot, Plot, Shipment, ShipmentStatus
from traceability.services.access import Reader, find_batch
from traceability.services.eudr import COVERED_COMMODITIES, Problem, Readiness, readiness
from traceability.services.lineage import ANCESTORS, DESCENDANTS, walk_cte
from traceability.services.trace_page.origin import commune_label

PRODUCER_COUNTRY = "VN"  # ISO 3166-1 alpha-2: every plot is in a commune of Vietnam's catalogue
# The EU Information System (TRACES) takes at most 25 MB of geolocation per due diligence statement, as the
# Commission's published interface details for it say; counted in decimal megabytes, the stricter reading.
GEOJSON_MAX_BYTES = 25_000_000
DEFORESTATION_CUTOFF = date(2020, 12, 31)  # EUDR art. 2(13): no deforestation after this day


@dataclass(frozen=True)
class PackagePlot:
    plot: Plot
    producer_name: str  # the organization (co-op, company, household) that farms the plot
    commune: str | None  # "Xã Lộc Ninh, Đồng Nai"; None when the code is not in today's catalogue
    problems: tuple[Problem, ...]  # this plot's share of the lot's readiness problems

    @property
    def ready(self) -> bool:
        return not self.problems

    @property
    def production_place(self) -> str:
        return f"{self.plot.name}, {self.commune or self.plot.commune_code}"


@dataclass(frozen=True)
class DueDiligence:
    batch: Batch
    operator: Organization
    operator_commune: str | None
    hs_code: str
    hs_description: Any  # a lazy msgid: str() in a request gives the reader's language
    net_mass_kg: Decimal  # what the lot holds now
    initial_mass_kg: Decimal
    harvest_start: date | None
    harvest_end: date | None
    plots: list[PackagePlot]
    readiness: Readiness

    @property
    def declared_plots(self) -> list[PackagePlot]:
        return [p for p in self.plots if p.plot.deforestation_free]


def _received_lot_or_descendant(reader: Reader, batch: Batch) -> bool:
    """Whether one of the reader's organizations received ``batch``, or a lot made from it, by a shipment."""
    if not reader.organization_ids:
        return False
    descendants = walk_cte(batch.id, DESCENDANTS)
    found = db.session.scalar(
        select(Shipment.id)
        .where(
            Shipment.status == ShipmentStatus.RECEIVED,
            Shipment.to_organization_id.in_(reader.organization_ids),
            or_(Shipment.batch_id == batch.id, Shipment.batch_id.in_(select(descendants.c.batch_id))),
        )
        .limit(1)
    )
    return found is not None


def package_batch(user: User | None, code: str) -> Batch:
    """The rubber lot ``code`` if ``user`` may fetch its package: 404 when they may not see it, 409 for cashew or
    pepper (only after the 404 check, so the refusal says nothing of lots the caller may not see)."""
    reader = Reader(user)
    batch = find_batch(code)
    if batch is None or not (reader.may_read(batch) or _received_lot_or_descendant(reader, batch)):
        raise BatchNotFoundError(normalize_batch_code(code))
    if batch.commodity not in COVERED_COMMODITIES:
        raise EudrNotApplicableError(batch_code=batch.code, commodity=batch.commodity)
    return batch


def _plots(batch: Batch, state: Readiness | None) -> list[PackagePlot]:
    """The lot's origin plots with their producer and commune, each with its readiness problems (none without
    ``state``: the GeoJSON needs no verdict, and a large boundary is then decoded once, not twice)."""
    rows = db.session.execute(
        select(Plot, Organization.name)
        .join(BatchPlot, BatchPlot.plot_id == Plot.id)
        .join(Organization, Organization.id == Plot.organization_id)
        .where(BatchPlot.batch_id == batch.id)
        .order_by(Plot.id)
    ).all()
    return [
        PackagePlot(
            plot=plot,
            producer_name=producer,
            commune=commune_label(plot.commune_code),
            problems=tuple(p for p in state.problems if p.plot_id == plot.id) if state else (),
        )
        for plot, producer in rows
    ]


def feature(plot: PackagePlot) -> dict | None:
    """The plot as a GeoJSON Feature with the properties the EU Information System reads; None without geometry."""
    geometry = plot.plot.geometry
    if not geometry:
        return None
    return {
        "type": "Feature",
        "id": plot.plot.id,
        "geometry": {"type": geometry["type"], "coordinates": geometry["coordinates"]},
        "properties": {
            "ProducerName": plot.producer_name,
            "ProducerCountry": PRODUCER_COUNTRY,
            "ProductionPlace": plot.production_place,
            "Area": float(plot.plot.area_ha),  # at most 4 decimals (Quantity): exact as a float's shortest form
        },
    }


def encode_feature_collection(features: list[dict], *, batch_code: str, max_bytes: int = GEOJSON_MAX_BYTES) -> bytes:
    """The FeatureCollection as compact UTF-8 JSON; ``GeolocationTooLargeError`` when it is over ``max_bytes``."""
    body = json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    if len(body) > max_bytes:
        raise GeolocationTooLargeError(batch_code=batch_code, size_bytes=len(body), limit_bytes=max_bytes)
    return body


def geojson(user: User | None, code: str) -> tuple[Batch, bytes]:
    """The lot and its plots' GeoJSON (RFC 7946), ready to send."""
    batch = package_batch(user, code)
    features = [f for f in (feature(p) for p in _plots(batch, None)) if f is not None]
    return batch, encode_feature_collection(features, batch_code=batch.code)


def _harvest_period(batch: Batch) -> tuple[date | None, date | None]:
    """Earliest start and latest end of the lot's harvest and of every lot it came from (one query)."""
    ancestors = walk_cte(batch.id, ANCESTORS)
    start, end = db.session.execute(
        select(func.min(Batch.harvest_start), func.max(func.coalesce(Batch.harvest_end, Batch.harvest_start))).where(
            or_(Batch.id == batch.id, Batch.id.in_(select(ancestors.c.batch_id)))
        )
    ).one()
    return start, end


def due_diligence(user: User | None, code: str) -> DueDiligence:
    """Everything a due diligence statement asks of the lot, with the EUDR verdict and every reason it fails."""
    batch = package_batch(user, code)
    state = readiness(batch)
    form = catalog.product(batch.product)
    operator = db.session.get(Organization, batch.custodian_id)
    start, end = _harvest_period(batch)
    return DueDiligence(
        batch=batch,
        operator=operator,
        operator_commune=commune_label(operator.commune_code),
        hs_code=form.hs_code,
        hs_description=catalog.HS_CODES[form.hs_code],
        net_mass_kg=catalog.to_kg(batch.quantity_remaining, batch.unit),
        initial_mass_kg=catalog.to_kg(batch.initial_quantity, batch.unit),
        harvest_start=start,
        harvest_end=end,
        plots=_plots(batch, state),
        readiness=state,
    )


def due_diligence_pdf(user: User | None, code: str) -> tuple[Batch, bytes]:
    """The due-diligence information as a PDF for people, in the reader's language."""
    package = due_diligence(user, code)
    return package.batch, render_pdf(package)
