"""Plot geometry: GeoJSON in WGS84, checked the way the EU Information System (EUDR) checks it.

Coordinates are kept exactly as given (the EUDR asks for at least 6 decimals, so
nothing here ever rounds what is stored); only public pages get a coarser copy.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from shapely.geometry import shape
from shapely.validation import explain_validity

from core.errors import ValidationError
from traceability.messages import (
    BOUNDARY_CROSSES_ITSELF,
    GEOMETRY_INVALID,
    GEOMETRY_NO_COORDINATES,
    GEOMETRY_NOT_OBJECT,
    GEOMETRY_TOO_MANY_POSITIONS,
    GEOMETRY_TYPE,
    MULTIPOLYGON_NOT_POLYGONS,
    POLYGON_NOT_RINGS,
    POSITION_NOT_NUMBERS,
    POSITION_OUTSIDE_WGS84,
    POSITION_SHAPE,
    POSITION_SWAPPED,
    REASON_NEEDS_POLYGON,
    REASON_NO_DECLARATION,
    REASON_NO_GEOMETRY,
    RING_NOT_CLOSED,
    RING_TOO_FEW_CORNERS,
    RING_TOO_SHORT,
    SHAPE_INVALID,
    WHERE_POLYGON,
    WHERE_POSITION,
    WHERE_RING,
)

GEOMETRY_TYPES = ("Point", "Polygon", "MultiPolygon")
EUDR_POINT_MAX_HA = Decimal(4)  # above this a plot must be a polygon (EUDR art. 2(28))
MAX_POSITIONS = 20_000  # a walked boundary has dozens of corners; this only stops abuse
EARTH_RADIUS_M = 6_371_008.8


def _invalid(message: str) -> ValidationError:
    return ValidationError(GEOMETRY_INVALID, errors={"geometry": [message]})


def _position(value: Any, where: str) -> list:
    if not isinstance(value, list) or len(value) not in (2, 3):
        raise _invalid(POSITION_SHAPE(where=where))
    for number in value:
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
            raise _invalid(POSITION_NOT_NUMBERS(where=where))
    lon, lat = value[0], value[1]
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        swapped = -90 <= lon <= 90 and -180 <= lat <= 180
        outside = POSITION_SWAPPED if swapped else POSITION_OUTSIDE_WGS84
        # The coordinates as typed: a page's number format would round them and blur them with the list's commas.
        raise _invalid(outside(where=where, lon=str(lon), lat=str(lat)))
    return value


def _ring(value: Any, where: str) -> list:
    if not isinstance(value, list) or len(value) < 4:
        raise _invalid(RING_TOO_SHORT(where=where))
    positions = [_position(p, WHERE_POSITION(where=where, number=i + 1)) for i, p in enumerate(value)]
    if positions[0][:2] != positions[-1][:2]:
        raise _invalid(RING_NOT_CLOSED(where=where))
    if len({tuple(p[:2]) for p in positions}) < 3:
        raise _invalid(RING_TOO_FEW_CORNERS(where=where))
    return positions


def _polygon(value: Any, where: str) -> None:
    if not isinstance(value, list) or not value:
        raise _invalid(POLYGON_NOT_RINGS(where=where))
    for index, ring in enumerate(value):
        _ring(ring, WHERE_RING(where=where, number=index + 1) if len(value) > 1 else where)


def _count_positions(value: Any) -> int:
    if isinstance(value, list) and value and all(isinstance(v, (int, float)) for v in value):
        return 1
    return sum(_count_positions(v) for v in value) if isinstance(value, list) else 0


def validate_geometry(geojson: Any) -> dict:
    """A checked GeoJSON geometry (a Feature is unwrapped), coordinates untouched; a ``geometry`` field error
    otherwise."""
    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    if not isinstance(geojson, dict):
        raise _invalid(GEOMETRY_NOT_OBJECT)
    kind, coordinates = geojson.get("type"), geojson.get("coordinates")
    if kind not in GEOMETRY_TYPES:
        raise _invalid(GEOMETRY_TYPE(allowed=", ".join(GEOMETRY_TYPES), kind=repr(kind)))
    if coordinates is None:
        raise _invalid(GEOMETRY_NO_COORDINATES)
    if _count_positions(coordinates) > MAX_POSITIONS:
        raise _invalid(GEOMETRY_TOO_MANY_POSITIONS(count=MAX_POSITIONS))
    if kind == "Point":
        _position(coordinates, "Point")
    elif kind == "Polygon":
        _polygon(coordinates, "Polygon")
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise _invalid(MULTIPOLYGON_NOT_POLYGONS)
        for index, polygon in enumerate(coordinates):
            _polygon(polygon, WHERE_POLYGON(number=index + 1))
    if kind != "Point":
        parsed = shape({"type": kind, "coordinates": coordinates})
        if not parsed.is_valid:
            reason = explain_validity(parsed)
            if "Self-intersection" in reason:
                raise _invalid(BOUNDARY_CROSSES_ITSELF(reason=reason))
            raise _invalid(SHAPE_INVALID(reason=reason))
    return {"type": kind, "coordinates": coordinates}


def area_ha(geometry: dict | None) -> Decimal | None:
    """Area of a polygon in hectares (local equal-area projection; good to well under 1 % at plot scale); None for a
    point."""
    if not geometry or geometry.get("type") == "Point":
        return None
    parsed = shape(geometry)
    lat0 = math.radians(parsed.centroid.y)
    scale_x = EARTH_RADIUS_M * math.cos(lat0) * math.pi / 180
    scale_y = EARTH_RADIUS_M * math.pi / 180

    def project(coords: list) -> list:
        return [[lon * scale_x, lat * scale_y] for lon, lat, *_ in coords]

    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    square_m = 0.0
    for rings in polygons:
        projected = shape({"type": "Polygon", "coordinates": [project(ring) for ring in rings]})
        square_m += projected.area
    return Decimal(str(round(square_m / 10_000, 4)))


def needs_polygon(area: Decimal | float | None) -> bool:
    """The EUDR asks for a polygon, not a point, for plots of more than 4 ha."""
    return area is not None and Decimal(str(area)) > EUDR_POINT_MAX_HA


def reduced_precision(geometry: dict | None, decimals: int = 3) -> dict | None:
    """A copy with coordinates rounded (about 100 m at 3 decimals) for public pages: never for storage or export."""
    if not geometry:
        return None

    def walk(value: Any) -> Any:
        if isinstance(value, list):
            return [walk(v) for v in value]
        return round(value, decimals) if isinstance(value, float) else value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def eudr_geolocation_ok(plot: Any) -> tuple[bool, list[str]]:
    """Whether ``plot`` (anything with ``geometry`` and ``area_ha``) is geolocated enough for the EUDR, and why not.

    Geolocation only; ``eudr_plot_status`` adds the no-deforestation declaration.
    """
    geometry = getattr(plot, "geometry", None)
    if not geometry:
        return False, [REASON_NO_GEOMETRY]
    if geometry.get("type") == "Point" and needs_polygon(getattr(plot, "area_ha", None)):
        return False, [REASON_NEEDS_POLYGON]
    return True, []


def eudr_plot_status(plot: Any) -> tuple[bool, list[str]]:
    """Everything the EUDR needs from one plot: geolocation and the no-deforestation declaration."""
    _ok, reasons = eudr_geolocation_ok(plot)
    if not getattr(plot, "deforestation_free", False):
        reasons = [*reasons, REASON_NO_DECLARATION]
    return not reasons, reasons
