"""Where the plots are: each plot's point, coloured by commune, drawn as an SVG scatter with pygal.

No registry package publishes the communes' post-July-2025 boundaries under an open licence, so instead of a
shaded commune map the plots' own locations show where supply comes from. A plot's point is its GPS point, or
the mean of its boundary's corners; coordinates are rounded to about 100 m (as on public pages).
"""

from __future__ import annotations

from collections import defaultdict

import pygal
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import String, cast, select

from core.extensions import db
from reports import names
from reports.charts import STYLE, svg
from reports.filters import Filters
from traceability.models import Plot

MAX_POINTS = 5000  # beyond this the scatter is a blot; the table beside it has every commune's figures
TITLE = _l("Where the plots are")


def _point(geometry: dict | None) -> tuple[float, float] | None:
    if not geometry:
        return None
    coordinates = geometry.get("coordinates")
    if geometry.get("type") == "Point":
        return float(coordinates[0]), float(coordinates[1])
    ring = coordinates[0] if geometry.get("type") == "Polygon" else coordinates[0][0]
    corners = ring[:-1] or ring
    return sum(c[0] for c in corners) / len(corners), sum(c[1] for c in corners) / len(corners)


def chart(filters: Filters) -> Markup | None:
    query = select(Plot.commune_code, Plot.geometry).where(Plot.geometry_type.is_not(None))
    if filters.commodity:
        query = query.where(cast(Plot.crops, String).like(f'%"{filters.commodity}"%'))
    if filters.commune_code:
        query = query.where(Plot.commune_code == filters.commune_code)
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for commune_code, geometry in db.session.execute(query.order_by(Plot.id).limit(MAX_POINTS)):
        found = _point(geometry)
        if found:
            points[names.shown(names.commune(commune_code))].append((round(found[0], 3), round(found[1], 3)))
    if not points:
        return None
    scatter = pygal.XY(
        title=names.shown(TITLE),
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        width=720,
        height=480,
        stroke=False,
        dots_size=3,
        legend_at_bottom=True,
        truncate_legend=-1,
        x_title=names.shown(_l("Longitude")),
        y_title=names.shown(_l("Latitude")),
    )
    for commune in sorted(points):
        scatter.add(commune, points[commune])
    return svg(scatter)
