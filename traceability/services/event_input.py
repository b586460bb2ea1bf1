"""Checks shared by every operation that records an event: when, where, which step, which photos.

Each function either returns the cleaned value or raises ``ValidationError`` with
field errors; ``collect`` gathers those of several fields into one error so a
form shows every problem at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from core.errors import ValidationError
from core.extensions import db
from core.numbers import parse_decimal, request_locale
from traceability import catalog
from traceability.messages import (
    AT_MOST_4_DECIMALS,
    AT_MOST_PHOTOS,
    CHOOSE_A_STEP,
    DATE_OR_RANGE,
    DRC_IS_A_PERCENTAGE,
    DRC_ONLY_FOR_LATEX,
    ENTER_ABOVE_ZERO,
    ENTER_HARVEST_DATE,
    FIELDS_INVALID,
    GIVE_ISO_TIME,
    HARVEST_ENDS_BEFORE_START,
    HARVEST_IN_FUTURE,
    HARVEST_NOT_IN_FUTURE,
    INVALID_DRC,
    INVALID_HARVEST_PERIOD,
    INVALID_QUANTITY,
    INVALID_TIME,
    INVALID_UNIT,
    LATEX_NEEDS_ITS_DRC,
    MISSING_DRC,
    MISSING_HARVEST_DATE,
    MISSING_STEP,
    NO_PLOT_OF_YOURS,
    QUANTITY_NOT_A_NUMBER,
    QUANTITY_TOO_LARGE,
    THIS_TIME_IN_FUTURE,
    TIME_IN_FUTURE,
    TOO_MANY_PHOTOS,
    UNEXPECTED_DRC,
    UNKNOWN_COMMUNE,
    UNKNOWN_COMMUNE_CODE,
    UNKNOWN_DISPOSITION,
    UNKNOWN_DISPOSITION_NAMED,
    UNKNOWN_PHOTOS,
    UNKNOWN_PLOT,
    UNKNOWN_STEP,
    UNKNOWN_STEP_NAMED,
    UPLOAD_PHOTO_FIRST,
    USE_ONE_OF,
)
from traceability.models import Plot

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
VIETNAM_OFFSET = timezone(timedelta(hours=7))
# Phones' clocks drift; a step "a minute from now" is not a step in the future.
CLOCK_SKEW = timedelta(minutes=5)
# 10^12 of a unit (a thousand million tonnes): far above any lot, within the Numeric(18, 4) columns.
MAX_QUANTITY = Decimal(10) ** 12
MAX_PHOTOS = 8

T = TypeVar("T")


class Errors:
    """Field errors collected from several checks, raised together."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def check(self, check: Callable[[], T], prefix: str = "") -> T | None:
        """Run ``check``; keep its field errors (under ``prefix``) and return None if it failed."""
        try:
            return check()
        except ValidationError as error:
            for field, messages in (error.errors or {"_schema": [error.detail]}).items():
                for message in messages:
                    self.add(f"{prefix}{field}", message)
            return None

    def raise_if_any(self, detail: str = FIELDS_INVALID) -> None:
        if self.fields:
            raise ValidationError(detail, errors=self.fields)


def today() -> date:
    """Today in Vietnam: a harvest "today" at 06:00 in Bình Phước is still yesterday in UTC."""
    return datetime.now(VIETNAM).date()


def offset_text(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


class EventTime(NamedTuple):
    """When a step happened: the aware UTC time stored, and the offset it was given in (EPCIS keeps both)."""

    at: datetime
    zone_offset: str  # "+07:00"


def event_time(value: datetime | str | None, field: str = "event_time") -> EventTime:
    """The time as given (no offset means Vietnam's) in UTC, with its offset; the future is refused."""
    if value is None or value == "":
        now = datetime.now(VIETNAM_OFFSET)
        return EventTime(now.astimezone(UTC), offset_text(now))
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(INVALID_TIME, errors={field: [GIVE_ISO_TIME]}) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=VIETNAM_OFFSET)
    if value > datetime.now(UTC) + CLOCK_SKEW:
        raise ValidationError(TIME_IN_FUTURE, errors={field: [THIS_TIME_IN_FUTURE]})
    return EventTime(value.astimezone(UTC), offset_text(value))


def harvest_period(harvest_date: date | None, start: date | None, end: date | None) -> tuple[date, date]:
    """(start, end) of a harvest: one day or a range, never in the future, never ending before it starts."""
    if harvest_date is not None:
        if start is not None or end is not None:
            raise ValidationError(INVALID_HARVEST_PERIOD, errors={"harvest_date": [DATE_OR_RANGE]})
        start = end = harvest_date
    if start is None:
        field = "harvest_date" if end is None else "harvest_start"
        raise ValidationError(MISSING_HARVEST_DATE, errors={field: [ENTER_HARVEST_DATE]})
    end = end or start
    field = "harvest_date" if harvest_date is not None else "harvest_end"
    if end > today():
        raise ValidationError(HARVEST_IN_FUTURE, errors={field: [HARVEST_NOT_IN_FUTURE]})
    if end < start:
        raise ValidationError(INVALID_HARVEST_PERIOD, errors={"harvest_end": [HARVEST_ENDS_BEFORE_START]})
    return start, end


def quantity(value: Any, field: str = "quantity") -> Decimal:
    """A positive Decimal with at most 4 decimals (what the database keeps); text is read as the request sends it."""
    number = parse_decimal(value, locale=request_locale())
    if number is None:
        raise ValidationError(INVALID_QUANTITY, errors={field: [QUANTITY_NOT_A_NUMBER]})
    if number <= 0:
        raise ValidationError(INVALID_QUANTITY, errors={field: [ENTER_ABOVE_ZERO]})
    # The size first: quantizing 1e25 to 4 decimals needs more digits than the decimal context has.
    if number > MAX_QUANTITY:
        raise ValidationError(INVALID_QUANTITY, errors={field: [QUANTITY_TOO_LARGE]})
    if number != number.quantize(Decimal("0.0001")):
        raise ValidationError(INVALID_QUANTITY, errors={field: [AT_MOST_4_DECIMALS]})
    return number


def unit(value: str | None) -> str:
    value = value or "kg"
    if value not in catalog.UNITS:
        raise ValidationError(INVALID_UNIT, errors={"unit": [USE_ONE_OF(choices=", ".join(catalog.UNITS))]})
    return value


def drc_percent(value: Any, product: catalog.Product) -> Decimal | None:
    """The dry rubber content a latex lot needs; refused for forms that have none."""
    if value is None or value == "":
        if product.needs_drc:
            raise ValidationError(MISSING_DRC, errors={"drc_percent": [LATEX_NEEDS_ITS_DRC]})
        return None
    if not product.needs_drc:
        raise ValidationError(UNEXPECTED_DRC, errors={"drc_percent": [DRC_ONLY_FOR_LATEX(product=product.code)]})
    number = quantity(value, "drc_percent")
    if number > 100:
        raise ValidationError(INVALID_DRC, errors={"drc_percent": [DRC_IS_A_PERCENTAGE]})
    return number


def biz_step(step: str | None, field: str = "step") -> str:
    """The stored bizStep: a CBV word as is, a word of our vocabulary as its URI; unknown words refused."""
    word = (step or "").strip().lower()
    if not word:
        raise ValidationError(MISSING_STEP, errors={field: [CHOOSE_A_STEP]})
    if not catalog.is_known_biz_step(word):
        raise ValidationError(UNKNOWN_STEP, errors={field: [UNKNOWN_STEP_NAMED(step=repr(word))]})
    return catalog.biz_step_uri(word, current_app.config["PUBLIC_BASE_URL"])


def step_word(stored: str) -> str:
    """The word behind a stored bizStep (the last segment of one of our URIs)."""
    return stored.rsplit("/", 1)[-1] if "/voc/bizstep/" in stored else stored


def disposition(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if value not in catalog.DISPOSITIONS:
        raise ValidationError(
            UNKNOWN_DISPOSITION, errors={"disposition": [UNKNOWN_DISPOSITION_NAMED(disposition=repr(value))]}
        )
    return value


def location(value: dict | None, acting_for: set[int]) -> tuple[int | None, str | None, str | None]:
    """(plot id, facility name, commune code): where a step happened; a plot must be one the user acts for."""
    if not value:
        return None, None, None
    plot_id, name, commune = (
        value.get("plot_id"),
        (value.get("name") or "").strip() or None,
        (value.get("commune_code") or "").strip() or None,
    )
    if plot_id is not None:
        plot = db.session.get(Plot, plot_id)
        if plot is None or plot.organization_id not in acting_for:
            raise ValidationError(UNKNOWN_PLOT, errors={"location.plot_id": [NO_PLOT_OF_YOURS(id=str(plot_id))]})
        return plot.id, name or plot.name, commune or plot.commune_code
    if commune is not None:
        from core.geo.units import registry

        if commune not in registry().commune_by_code:
            raise ValidationError(
                UNKNOWN_COMMUNE, errors={"location.commune_code": [UNKNOWN_COMMUNE_CODE(commune=repr(commune))]}
            )
    return None, name, commune


def photos(public_ids: list[str] | None, organization_id: int) -> list[str]:
    """Photos are stored files uploaded for the organization recording the event, at most ``MAX_PHOTOS`` of them."""
    ids = [str(i) for i in (public_ids or [])]
    if not ids:
        return []
    if len(ids) > MAX_PHOTOS:
        raise ValidationError(TOO_MANY_PHOTOS, errors={"photos": [AT_MOST_PHOTOS(count=MAX_PHOTOS)]})
    from core.files.models import StoredFile

    known = set(
        db.session.scalars(
            select(StoredFile.public_id).where(
                StoredFile.public_id.in_(ids), StoredFile.organization_id == organization_id
            )
        )
    )
    errors = {f"photos.{i}": [UPLOAD_PHOTO_FIRST] for i, public_id in enumerate(ids) if public_id not in known}
    if errors:
        raise ValidationError(UNKNOWN_PHOTOS, errors=errors)
    return ids
