"""Where a lot comes from, as the public may see it: farms, plots, certificates, EUDR status.

Only organization names and commune-level places leave this module: never a
street, a phone number or a person's name, and a plot's shape only as an
outline drawn from coordinates rounded to about 100 m (``reduced_precision``)
and scaled to a box, so the drawing carries no position at all.

The page's map (``map_shapes``) does carry positions, rounded the same way to
about 100 m, and only of plots farmed by organizations (co-ops, companies,
state farms): a household's plot is where a family lives and works, so its
position stays off the public page and it keeps the outline drawing only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from core.accounts.models import Organization, OrganizationKind
from core.extensions import db
from core.geo.services import get_commune
from traceability.geometry import eudr_plot_status, reduced_precision
from traceability.models import Batch, BatchPlot, Plot
from traceability.services.certificates import certificates_valid_on
from traceability.services.eudr import COVERED_COMMODITIES, REASON_NO_PLOTS, REASON_UNKNOWN_ORIGIN

OUTLINE_BOX = 100  # the SVG viewBox is 0 0 100 100
OUTLINE_MARGIN = 8
PLOTS_SHOWN = 6  # per farm, as the page lists them


def commune_label(code: str | None) -> str | None:
    """'Xã Lộc Ninh, Đồng Nai' for a commune code; None when unknown."""
    unit = get_commune(code) if code else None
    if unit is None:
        return None
    return f"{unit.name}, {unit.province_name}" if unit.province_name else unit.name


@dataclass(frozen=True)
class PublicPlot:
    name: str
    commune: str | None
    area_ha: Decimal
    outline: str | None  # an SVG path in a 100 × 100 box, from reduced-precision coordinates
    is_point: bool
    growing_area_code: str | None
    map_geometry: dict | None = None  # reduced precision, for the map; never for a household's plot


@dataclass
class Farm:
    organization_id: int
    name: str
    commune: str | None
    verified: bool
    is_household: bool
    plots: list[PublicPlot] = field(default_factory=list)


def _rings(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def outline_path(geometry: dict | None) -> str | None:
    """An SVG path of the plot's outer boundary, scaled into the box; None for a point or nothing drawable."""
    coarse = reduced_precision(geometry)
    if not coarse or coarse["type"] == "Point":
        return None
    rings = [ring for ring in _rings(coarse) if ring]
    points = [position for ring in rings for position in ring]
    if not points:
        return None
    lat0 = math.radians(sum(p[1] for p in points) / len(points))
    xs = [p[0] * math.cos(lat0) for p in points]
    ys = [p[1] for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys))
    if span == 0:
        return None
    scale = (OUTLINE_BOX - 2 * OUTLINE_MARGIN) / span
    left, top = min(xs), max(ys)
    path = []
    for ring in rings:
        corners = [
            ((lon * math.cos(lat0) - left) * scale + OUTLINE_MARGIN, (top - lat) * scale + OUTLINE_MARGIN)
            for lon, lat, *_ in ring
        ]
        path.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in corners) + "Z")
    return "".join(path)


def load_farms(batch: Batch) -> tuple[list[Farm], list[Plot]]:
    """The lot's origin plots grouped by the organization that farms them (one query)."""
    rows = db.session.execute(
        select(Plot, Organization.name, Organization.kind, Organization.verified_at, Organization.commune_code)
        .join(BatchPlot, BatchPlot.plot_id == Plot.id)
        .join(Organization, Organization.id == Plot.organization_id)
        .where(BatchPlot.batch_id == batch.id)
        .order_by(Organization.name, Organization.id, Plot.name, Plot.id)
    ).all()
    farms: dict[int, Farm] = {}
    plots: list[Plot] = []
    for plot, name, kind, verified_at, commune_code in rows:
        plots.append(plot)
        farm = farms.get(plot.organization_id)
        if farm is None:
            farm = farms[plot.organization_id] = Farm(
                plot.organization_id,
                name,
                commune_label(commune_code or plot.commune_code),
                verified_at is not None,
                kind == OrganizationKind.HOUSEHOLD,
            )
        farm.plots.append(
            PublicPlot(
                name=plot.name,
                commune=commune_label(plot.commune_code),
                area_ha=plot.area_ha,
                outline=outline_path(plot.geometry),
                is_point=bool(plot.geometry) and plot.geometry.get("type") == "Point",
                growing_area_code=plot.growing_area_code,
                map_geometry=None if farm.is_household else _map_geometry(plot.geometry),
            )
        )
    return list(farms.values()), plots


def _map_geometry(geometry: dict | None) -> dict | None:
    """A point, polygon or multipolygon rounded to about 100 m, repeated corners dropped; None for anything else."""
    coarse = reduced_precision(geometry)
    if not coarse or coarse["type"] not in ("Point", "Polygon", "MultiPolygon"):
        return None
    if coarse["type"] == "Point":
        return {"type": "Point", "coordinates": coarse["coordinates"][:2]}

    def ring(positions: list) -> list:
        kept: list = []
        for position in positions:
            if not kept or kept[-1] != position[:2]:
                kept.append(position[:2])
        return kept

    polygons = [coarse["coordinates"]] if coarse["type"] == "Polygon" else coarse["coordinates"]
    return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in polygon[:1]] for polygon in polygons]}


def map_shapes(farms: list[Farm]) -> list[dict]:
    """The geometries the page's map draws: the listed plots that may be placed on a map (see the module's note)."""
    return [plot.map_geometry for farm in farms for plot in farm.plots[:PLOTS_SHOWN] if plot.map_geometry is not None]


@dataclass(frozen=True)
class PublicCertificate:
    type: str
    type_other: str | None
    number: str
    issuer: str
    holder: str | None
    valid_from: date
    valid_to: date
    verification: str  # verified | pending (rejected ones never count)
    verified_at: datetime | None


def harvest_certificates(
    plots: list[Plot], start: date | None, end: date | None, farm_names: dict[int, str]
) -> list[PublicCertificate]:
    """Certificates covering the lot's plots over its whole harvest period, verified ones first (one query)."""
    if not plots or start is None:
        return []
    found = [c for c in certificates_valid_on([p.id for p in plots], start) if c.valid_to >= (end or start)]
    found.sort(key=lambda c: (c.verification.value != "verified", c.type.value, c.id))
    return [
        PublicCertificate(
            c.type.value,
            c.type_other,
            c.number,
            c.issuer,
            farm_names.get(c.organization_id),
            c.valid_from,
            c.valid_to,
            c.verification.value,
            c.verified_at,
        )
        for c in found
    ]


@dataclass(frozen=True)
class EudrStatus:
    ready: bool
    reasons: list[tuple[str | None, str]]  # (plot name or None, English msgid)


def eudr_status(batch: Batch, plots: list[Plot]) -> EudrStatus | None:
    """The EUDR readiness of a rubber lot from plots already loaded (the rule of traceability.services.eudr); None
    elsewhere."""
    if batch.commodity not in COVERED_COMMODITIES:
        return None
    reasons: list[tuple[str | None, str]] = []
    if batch.unknown_origin:
        reasons.append((None, REASON_UNKNOWN_ORIGIN))
    elif not plots:
        reasons.append((None, REASON_NO_PLOTS))
    for plot in plots:
        _ok, problems = eudr_plot_status(plot)
        reasons.extend((plot.name, problem) for problem in problems)
    return EudrStatus(ready=not reasons, reasons=reasons)
