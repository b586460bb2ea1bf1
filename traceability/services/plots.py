"""Farm plots: register, edit, read and list them, with what the EUDR needs from each.

Anyone who may act for the owner organization (co-op managers for member
households) writes a plot; the same people and department officers read it;
anybody else is told it does not exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, func, select

from core.accounts.models import Organization, User
from core.accounts.permissions import actable_organization_ids, is_department_officer, require_act_for
from core.db import utcnow
from core.errors import NotFound, PermissionDenied, ValidationError
from core.extensions import db
from core.geo.services import require_commune
from core.geo.units import COMMUNE_CODE_WIDTH
from core.messages import Message
from core.numbers import parse_decimal, request_locale
from traceability import catalog, geometry
from traceability.messages import (
    AREA_DECIMALS,
    AREA_INVALID,
    AREA_TOO_LARGE,
    COMMUNE_UNKNOWN,
    CROPS_UNKNOWN,
    FIELD_REQUIRED,
    GPS_ACCURACY_DECIMALS,
    GPS_ACCURACY_INVALID,
    GPS_ACCURACY_TOO_LARGE,
    GROWING_AREA_CODE_TOO_LONG,
    NAME_TOO_LONG,
    NOT_GEOJSON,
    PLOT_FIELDS_INVALID,
    PLOT_NOT_FOUND,
    PLOT_READ_ONLY,
    STREET_TOO_LONG,
)
from traceability.models import Plot

MAX_AREA_HA = Decimal(100_000)
MAX_GPS_ACCURACY_M = Decimal(10_000)  # a phone that unsure has no fix worth keeping
PLOT_FIELDS = (
    "name",
    "commune_code",
    "street",
    "area_ha",
    "crops",
    "geometry",
    "gps_accuracy_m",
    "growing_area_code",
    "deforestation_free",
)


def commune_error(code: str) -> Message | None:
    """Why ``code`` is not a commune/ward code of today's two-tier units, or None when it is one."""
    if len(str(code).strip()) != COMMUNE_CODE_WIDTH:
        return COMMUNE_UNKNOWN
    try:
        require_commune(code)
    except ValidationError:
        # Our own wording, so that a sheet import can give it in Vietnamese whatever the page language.
        return COMMUNE_UNKNOWN
    return None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _crops(value: Any) -> list[str] | None:
    if value is None or value == "":
        return []
    items = [part.strip() for part in value.replace(";", ",").split(",")] if isinstance(value, str) else list(value)
    crops = [item for item in dict.fromkeys(items) if item]
    if any(crop not in catalog.COMMODITIES for crop in crops):
        return None
    return crops


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"y", "yes", "true", "1", "on", "có", "co", "x"}
    return bool(value)


# Each field's check: (the cleaned value, None) or (whatever was read, the field message), given the raw value
# and the locale numbers were typed in.
Checked = tuple[Any, Message | None]


def _name(raw: Any, _locale: str) -> Checked:
    name = _text(raw)
    if not name:
        return name, FIELD_REQUIRED
    return name, NAME_TOO_LONG if len(name) > 200 else None


def _commune_code(raw: Any, _locale: str) -> Checked:
    code = _text(raw)
    return code, FIELD_REQUIRED if not code else commune_error(code)


def _street(raw: Any, _locale: str) -> Checked:
    street = _text(raw) or None
    return street, STREET_TOO_LONG if street and len(street) > 300 else None


def _area_ha(raw: Any, locale: str) -> Checked:
    area = parse_decimal(raw, locale=locale)
    if raw is None or raw == "":
        return area, FIELD_REQUIRED
    if area is None or area <= 0:
        return area, AREA_INVALID
    if area > MAX_AREA_HA:
        return area, AREA_TOO_LARGE
    return area, AREA_DECIMALS if area != area.quantize(Decimal("0.0001")) else None


def _crops_field(raw: Any, _locale: str) -> Checked:
    crops = _crops(raw)
    return crops or [], CROPS_UNKNOWN if crops is None else None


def _geometry(raw: Any, _locale: str) -> Checked:
    """A GeoJSON object, or its text as pasted into a form or a sheet cell; empty means no geolocation."""
    shape = (raw.strip() or None) if isinstance(raw, str) else raw
    if isinstance(shape, str):
        try:
            shape = json.loads(shape)
        except ValueError:
            return shape, NOT_GEOJSON
    if shape is None:
        return None, None
    try:
        return geometry.validate_geometry(shape), None
    except ValidationError as exc:
        return shape, exc.errors["geometry"][0]


def _gps_accuracy(raw: Any, locale: str) -> Checked:
    """Metres; empty means unknown."""
    if raw is None or raw == "":
        return None, None
    metres = parse_decimal(raw, locale=locale)
    if metres is None or metres <= 0:
        return None, GPS_ACCURACY_INVALID
    if metres > MAX_GPS_ACCURACY_M:
        return None, GPS_ACCURACY_TOO_LARGE
    if metres != metres.quantize(Decimal("0.01")):
        return None, GPS_ACCURACY_DECIMALS
    return metres, None


def _growing_area_code(raw: Any, _locale: str) -> Checked:
    growing = _text(raw) or None
    return growing, GROWING_AREA_CODE_TOO_LONG if growing and len(growing) > 50 else None


def _deforestation_free(raw: Any, _locale: str) -> Checked:
    return _flag(raw), None


_CHECKS = {
    "name": _name,
    "commune_code": _commune_code,
    "street": _street,
    "area_ha": _area_ha,
    "crops": _crops_field,
    "geometry": _geometry,
    "gps_accuracy_m": _gps_accuracy,
    "growing_area_code": _growing_area_code,
    "deforestation_free": _deforestation_free,
}


def clean_plot_fields(data: dict[str, Any], *, partial: bool = False, locale: str | None = None) -> dict[str, Any]:
    """The checked values of the plot fields present in ``data``; every bad field named at once.

    Accepts what an API schema loaded or what a form or a sheet cell holds: area
    as a number or text typed in ``locale`` (by default the request's: "2,5" on a
    Vietnamese page), crops as a list or "cashew, pepper", geometry as a GeoJSON
    object or its text. ``partial`` checks only the keys given.
    """
    locale = locale or request_locale()
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for field in PLOT_FIELDS:
        if partial and field not in data:
            continue
        cleaned[field], problem = _CHECKS[field](data.get(field), locale)
        if problem:
            errors[field] = [problem]
    if errors:
        raise ValidationError(PLOT_FIELDS_INVALID, errors=errors)
    return cleaned


def _apply(plot: Plot, actor: User, cleaned: dict[str, Any]) -> None:
    for field in ("name", "commune_code", "street", "area_ha", "crops", "growing_area_code", "gps_accuracy_m"):
        if field in cleaned:
            setattr(plot, field, cleaned[field])
    if "geometry" in cleaned:
        if cleaned["geometry"] != plot.geometry and "gps_accuracy_m" not in cleaned:
            plot.gps_accuracy_m = None  # the accuracy was that of the old location
        plot.geometry = cleaned["geometry"]
        plot.geometry_type = cleaned["geometry"]["type"] if cleaned["geometry"] else None
    if "deforestation_free" in cleaned and cleaned["deforestation_free"] != bool(plot.deforestation_free):
        # The declaration is the acting user's word at this moment; withdrawing it clears both.
        plot.deforestation_free = cleaned["deforestation_free"]
        plot.deforestation_declared_at = utcnow() if plot.deforestation_free else None
        plot.deforestation_declared_by_id = actor.id if plot.deforestation_free else None


def new_plot(actor: User, organization_id: int, cleaned: dict[str, Any]) -> Plot:
    """Add a plot from already-cleaned fields for an organization the caller already checked; no commit."""
    plot = Plot(organization_id=organization_id, created_by_id=actor.id, deforestation_free=False, crops=[])
    _apply(plot, actor, cleaned)
    db.session.add(plot)
    return plot


def build_plot(actor: User, organization_id: int, data: dict[str, Any]) -> Plot:
    """Check who acts and every field, then add the plot without committing (bulk imports commit once)."""
    require_act_for(actor, organization_id)
    return new_plot(actor, organization_id, clean_plot_fields(data))


def create_plot(actor: User, organization_id: int, data: dict[str, Any]) -> Plot:
    plot = build_plot(actor, organization_id, data)
    db.session.commit()
    return plot


def _visible_ids(actor: User | None) -> set[int] | None:
    """Organizations whose plots ``actor`` may read; None means all (department officers)."""
    if actor is None:
        return set()
    if is_department_officer(actor):
        return None
    return actable_organization_ids(actor)


def get_plot(actor: User | None, plot_id: int) -> Plot:
    plot = db.session.get(Plot, plot_id)
    visible = _visible_ids(actor)
    if plot is None or (visible is not None and plot.organization_id not in visible):
        raise NotFound(PLOT_NOT_FOUND)
    return plot


def editable_plot(actor: User | None, plot_id: int) -> Plot:
    """The plot if ``actor`` may change it: 404 unseen, 403 for those who only read it (department officers)."""
    plot = get_plot(actor, plot_id)
    if plot.organization_id not in actable_organization_ids(actor):
        raise PermissionDenied(PLOT_READ_ONLY)
    return plot


def update_plot(actor: User, plot_id: int, data: dict[str, Any]) -> Plot:
    plot = editable_plot(actor, plot_id)
    cleaned = clean_plot_fields({key: data[key] for key in PLOT_FIELDS if key in data}, partial=True)
    _apply(plot, actor, cleaned)
    db.session.commit()
    return plot


@dataclass(frozen=True)
class PlotPage:
    items: list[Plot]
    total: int


def list_plots(
    actor: User | None,
    *,
    organization_id: int | None = None,
    commune_code: str | None = None,
    crop: str | None = None,
    offset: int = 0,
    limit: int = 20,
) -> PlotPage:
    """The plots ``actor`` may see, newest first, filtered and paged."""
    statement = select(Plot)
    visible = _visible_ids(actor)
    if visible is not None:
        statement = statement.where(Plot.organization_id.in_(visible or {-1}))
    if organization_id is not None:
        statement = statement.where(Plot.organization_id == organization_id)
    if commune_code:
        statement = statement.where(Plot.commune_code == commune_code)
    if crop:
        # crops is a JSON list of fixed words; its text form contains the quoted word on both backends.
        statement = statement.where(cast(Plot.crops, String).like(f'%"{crop}"%'))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = db.session.scalars(statement.order_by(Plot.id.desc()).limit(limit).offset(offset)).all()
    return PlotPage(items=list(items), total=total)


def plot_organizations(actor: User) -> list[Organization]:
    """The organizations ``actor`` may register plots for (their own and co-op member households), by name."""
    ids = actable_organization_ids(actor)
    if not ids:
        return []
    return list(db.session.scalars(select(Organization).where(Organization.id.in_(ids)).order_by(Organization.name)))


def eudr_status(plot: Plot) -> dict[str, Any]:
    """{"ready": bool, "reasons": [...]} as the plot's API and pages show it."""
    ready, reasons = geometry.eudr_plot_status(plot)
    return {"ready": ready, "reasons": reasons, "needs_polygon": geometry.needs_polygon(plot.area_ha)}
