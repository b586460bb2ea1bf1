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
from core.messages import N_

GEOMETRY_TYPES = ("Point", "Polygon", "MultiPolygon")
EUDR_POINT_MAX_HA = Decimal(4)  # above this a plot must be a polygon (EUDR art. 2(28))
MAX_POSITIONS = 20_000  # a walked boundary has dozens of corners; this only stops abuse
EARTH_RADIUS_M = 6_371_008.8


REASON_NO_GEOMETRY = N_("The plot has no geolocation (GPS point or boundary).")
REASON_NEEDS_POLYGON = N_("A plot over 4 ha needs its boundary as a polygon; a GPS point is not enough.")
REASON_NO_DECLARATION = N_("No declaration that the land was not deforested after 31 December 2020.")


def _invalid(message: str) -> ValidationError:
    return ValidationError("The geometry is not valid GeoJSON.", errors={"geometry": [message]})


def _position(value: Any, where: str) -> list:
    if not isinstance(value, list) or len(value) not in (2, 3):
        raise _invalid(f"{where}: a position is [longitude, latitude].")
    for number in value:
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
            raise _invalid(f"{where}: coordinates must be numbers.")
    lon, lat = value[0], value[1]
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        hint = (
            " Longitude comes first in GeoJSON: [longitude, latitude]."
            if -90 <= lon <= 90 and -180 <= lat <= 180
            else ""
        )
        raise _invalid(f"{where}: [{lon}, {lat}] is outside WGS84 (longitude −180…180, latitude −90…90).{hint}")
    return value


def _ring(value: Any, where: str) -> list:
    if not isinstance(value, list) or len(value) < 4:
        raise _invalid(f"{where}: a ring needs at least 4 positions (3 corners and the first one repeated).")
    positions = [_position(p, f"{where}, position {i + 1}") for i, p in enumerate(value)]
    if positions[0][:2] != positions[-1][:2]:
        raise _invalid(f"{where}: the ring is not closed; its last position must repeat the first.")
    if len({tuple(p[:2]) for p in positions}) < 3:
        raise _invalid(f"{where}: a ring needs at least 3 different corners.")
    return positions


def _polygon(value: Any, where: str) -> None:
    if not isinstance(value, list) or not value:
        raise _invalid(f"{where}: a polygon is a list of rings.")
    for index, ring in enumerate(value):
        _ring(ring, f"{where}, ring {index + 1}" if len(value) > 1 else where)


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
        raise _invalid("Send a GeoJSON geometry object with 'type' and 'coordinates'.")
    kind, coordinates = geojson.get("type"), geojson.get("coordinates")
    if kind not in GEOMETRY_TYPES:
        raise _invalid(f"The geometry type must be one of {', '.join(GEOMETRY_TYPES)}, not {kind!r}.")
    if coordinates is None:
        raise _invalid("The geometry has no 'coordinates'.")
    if _count_positions(coordinates) > MAX_POSITIONS:
        raise _invalid(f"The geometry has more than {MAX_POSITIONS} positions.")
    if kind == "Point":
        _position(coordinates, "Point")
    elif kind == "Polygon":
        _polygon(coordinates, "Polygon")
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise _invalid("A MultiPolygon is a list of polygons.")
        for index, polygon in enumerate(coordinates):
            _polygon(polygon, f"Polygon {index + 1}")
    if kind != "Point":
        parsed = shape({"type": kind, "coordinates": coordinates})
        if not parsed.is_valid:
            reason = explain_validity(parsed)
            if "Self-intersection" in reason:
                raise _invalid(f"The boundary crosses itself ({reason}); walk the corners in order around the plot.")
            raise _invalid(f"The shape is not a valid polygon: {reason}.")
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
