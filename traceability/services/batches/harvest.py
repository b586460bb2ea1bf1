"""A harvest: an EPCIS ObjectEvent ADD with bizStep ``commissioning`` (CBV has no "harvesting"; commissioning covers
it) whose output quantity brings the new lot into being, from the plots it was picked on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from core.accounts.models import User
from core.extensions import db
from core.routing import MAX_ID
from traceability import catalog, identifiers
from traceability.messages import (
    CHOOSE_HARVEST_HOLDER,
    CHOOSE_HARVEST_PLOTS,
    MAY_NOT_HARVEST_FOR,
    NO_PLOT_OF_YOURS,
    NOT_HARVESTED,
    PLOT_DOES_NOT_GROW,
    PRODUCT_OF_OTHER_COMMODITY,
    UNKNOWN_ORIGIN_HAS_NO_PLOTS,
)
from traceability.models import Batch, EventType, Plot, QuantityRole
from traceability.services import event_input, gtins, ledger
from traceability.services.access import Reader
from traceability.services.batches.lots import add_plots, insert_new_batches, new_batch
from traceability.services.event_input import Errors


def _harvest_plots(reader: Reader, plot_ids: list[int], commodity: str | None, errors: Errors) -> list[Plot]:
    # A larger id names no plot, and the database could not even compare it.
    known = [i for i in plot_ids if 0 < i <= MAX_ID]
    # Plots this session already holds (a sheet import's index of them) are not asked for again, row after row.
    plots = {i: found for i in known if (found := db.session.identity_map.get(db.session.identity_key(Plot, i)))}
    missing = [i for i in known if i not in plots]
    if missing:
        plots.update({p.id: p for p in db.session.scalars(select(Plot).where(Plot.id.in_(missing)))})
    for plot_id in plot_ids:
        plot = plots.get(plot_id)
        if plot is None or plot.organization_id not in reader.organization_ids:
            errors.add("plot_ids", NO_PLOT_OF_YOURS(id=str(plot_id)))
        elif commodity and plot.crops and commodity not in plot.crops:
            errors.add("plot_ids", PLOT_DOES_NOT_GROW(name=plot.name, commodity=commodity))
    return [plots[i] for i in plot_ids if i in plots]


@dataclass(frozen=True)
class _Harvest:
    """A harvest's fields once checked (a field that failed its check is None, and ``errors`` says why)."""

    form: catalog.Product | None
    grade: str | None
    amount: Decimal | None
    unit: str | None
    drc: Decimal | None
    period: tuple[date, date] | None
    gtin: str | None
    lot_number: str | None
    measured: list[dict] | None
    when: event_input.EventTime | None


def _checked_harvest(errors: Errors, fields: dict) -> _Harvest:
    form = errors.check(lambda: catalog.product(fields["product"]))
    commodity = fields["commodity"]
    if form is not None and not form.harvested:
        errors.add("product", NOT_HARVESTED(product=form.code))
    if form is not None and commodity and commodity != form.commodity:
        errors.add(
            "commodity", PRODUCT_OF_OTHER_COMMODITY(product=form.code, commodity=form.commodity, given=commodity)
        )
    gtin, lot_number = fields["gtin"], fields["lot_number"]
    return _Harvest(
        form=form,
        grade=errors.check(lambda: catalog.normalize_grade(form.code, fields["grade"])) if form else None,
        amount=errors.check(lambda: event_input.quantity(fields["quantity"])),
        unit=errors.check(lambda: event_input.unit(fields["unit"])),
        drc=errors.check(lambda: event_input.drc_percent(fields["drc_percent"], form)) if form else None,
        period=errors.check(
            lambda: event_input.harvest_period(fields["harvest_date"], fields["harvest_start"], fields["harvest_end"])
        ),
        gtin=errors.check(lambda: identifiers.validate_gtin(gtin)) if gtin else None,
        lot_number=errors.check(lambda: identifiers.validate_lot_number(lot_number)) if lot_number else None,
        measured=errors.check(lambda: catalog.validate_measurements(fields["measurements"])),
        when=errors.check(lambda: event_input.event_time(fields["event_time"])),
    )


def _harvest_holder(
    reader: Reader, plots: list[Plot], organization_id: int | None, harvest: _Harvest, errors: Errors
) -> int | None:
    """The organization recording the harvest: the one given, else the one farming every plot; its GTIN checked."""
    owners = {plot.organization_id for plot in plots}
    if organization_id is None and len(owners) == 1:
        organization_id = owners.pop()
    if organization_id is None:
        errors.add("organization_id", CHOOSE_HARVEST_HOLDER)
    elif organization_id not in reader.organization_ids:
        errors.add("organization_id", MAY_NOT_HARVEST_FOR)
    elif harvest.gtin:
        errors.check(lambda: gtins.check_gtin(harvest.gtin, organization_id))
    if harvest.gtin and harvest.lot_number:
        errors.check(lambda: gtins.check_lot_number(harvest.gtin, harvest.lot_number))
    return organization_id


@dataclass(frozen=True)
class CheckedHarvest:
    """A harvest that passed every check, ready to be commissioned: nothing of it is written yet."""

    harvest: _Harvest
    organization_id: int
    plots: list[Plot]
    plot_ids: list[int]
    origin_unknown: bool
    note: str | None


def check_harvest(
    user: User,
    *,
    product: str,
    quantity: Decimal,
    plot_ids: list[int] | None = None,
    unit: str | None = "kg",
    commodity: str | None = None,
    grade: str | None = None,
    drc_percent: Decimal | None = None,
    organization_id: int | None = None,
    harvest_date: date | None = None,
    harvest_start: date | None = None,
    harvest_end: date | None = None,
    gtin: str | None = None,
    lot_number: str | None = None,
    note: str | None = None,
    event_time: datetime | str | None = None,
    measurements: list[dict] | None = None,
    origin_unknown: bool = False,
    reader: Reader | None = None,
) -> CheckedHarvest:
    """Check a harvest's every field, raising all field errors together; nothing is written.

    ``origin_unknown`` registers produce bought from outside the platform (no plots): it is never EUDR-ready.
    """
    reader = reader or Reader(user)
    errors = Errors()
    harvest = _checked_harvest(
        errors,
        {
            "product": product,
            "commodity": commodity,
            "grade": grade,
            "quantity": quantity,
            "unit": unit,
            "drc_percent": drc_percent,
            "harvest_date": harvest_date,
            "harvest_start": harvest_start,
            "harvest_end": harvest_end,
            "gtin": gtin,
            "lot_number": lot_number,
            "measurements": measurements,
            "event_time": event_time,
        },
    )
    plot_ids = list(dict.fromkeys(plot_ids or []))
    if not plot_ids and not origin_unknown:
        errors.add("plot_ids", CHOOSE_HARVEST_PLOTS)
    if plot_ids and origin_unknown:
        errors.add("plot_ids", UNKNOWN_ORIGIN_HAS_NO_PLOTS)
    plots = _harvest_plots(reader, plot_ids, harvest.form.commodity if harvest.form else None, errors)
    organization_id = _harvest_holder(reader, plots, organization_id, harvest, errors)
    errors.raise_if_any()
    return CheckedHarvest(harvest, organization_id, plots, plot_ids, origin_unknown, note)


def build_harvest(user: User, **fields) -> Batch:
    """Commission a batch from plots (``check_harvest``'s fields): checked, added and flushed, NOT committed."""
    checked = check_harvest(user, **fields)
    if checked.harvest.gtin:
        gtins.register(checked.harvest.gtin, checked.organization_id)
    batch = new_batch(**_batch_fields(user, checked))
    add_plots(batch, checked.plot_ids)
    ledger.append_event(**_event_fields(user, checked), movements=_movements(batch, checked))
    return batch


def commission_harvests(user: User, harvests: list[CheckedHarvest]) -> list[SimpleNamespace]:
    """``build_harvest`` of many checked harvests at once (a sheet import): batched INSERTs, not a few per harvest.

    The lots, their plots, their events and the events' quantity lines each in one executemany of SQLAlchemy Core
    (no ORM object per row); NOT committed. The lots come back as plain records (``insert_new_batches``), not ORM
    objects.
    """
    for checked in harvests:
        if checked.harvest.gtin:
            gtins.register(checked.harvest.gtin, checked.organization_id)
    # Each lot is inserted holding its harvest, what its one event leaves it (checked by the ledger).
    batches = insert_new_batches(
        [
            {**_batch_fields(user, checked), "quantity_remaining": ledger.quantize(checked.harvest.amount)}
            for checked in harvests
        ],
        [checked.plot_ids for checked in harvests],
    )
    ledger.insert_events(
        [
            (_event_fields(user, checked), _movements(batch, checked))
            for batch, checked in zip(batches, harvests, strict=True)
        ]
    )
    return batches


def _batch_fields(user: User, checked: CheckedHarvest) -> dict:
    harvest = checked.harvest
    start, end = harvest.period
    return {
        "commodity": harvest.form.commodity,
        "product": harvest.form.code,
        "grade": harvest.grade,
        "unit": harvest.unit,
        "initial_quantity": harvest.amount,
        "drc_percent": harvest.drc,
        "custodian_id": checked.organization_id,
        "harvest_start": start,
        "harvest_end": end,
        "gtin": harvest.gtin,
        "lot_number": harvest.lot_number,
        "unknown_origin": checked.origin_unknown,
        "note": (checked.note or "").strip() or None,
        "created_by_id": user.id,
    }


def _movements(batch: Batch, checked: CheckedHarvest) -> list[ledger.Movement]:
    return [ledger.Movement(batch, QuantityRole.OUTPUT, checked.harvest.amount)]


def _event_fields(user: User, checked: CheckedHarvest) -> dict:
    """The ObjectEvent ADD that brings the lot's quantity into being, naming its plots and period."""
    harvest, plots, plot_ids = checked.harvest, checked.plots, checked.plot_ids
    start, end = harvest.period
    single = plots[0] if len(plots) == 1 else None
    ilmd = {"harvest_start": start.isoformat(), "harvest_end": end.isoformat(), "plot_ids": sorted(plot_ids)}
    if harvest.drc is not None:
        ilmd["drc_percent"] = catalog.decimal_text(harvest.drc)
    return {
        "type": EventType.OBJECT,
        "action": "ADD",
        "operation": "harvest",
        "biz_step": "commissioning",
        "disposition": "active",
        "organization_id": checked.organization_id,
        "user_id": user.id,
        "event_time": harvest.when.at,
        "event_time_zone_offset": harvest.when.zone_offset,
        "plot_id": single.id if single else None,
        "location_commune_code": single.commune_code if single else None,
        "measurements": harvest.measured,
        "note": (checked.note or "").strip() or None,
        "extra": {"ilmd": ilmd, **({"origin_unknown": True} if checked.origin_unknown else {})},
    }


def record_harvest(user: User, **fields) -> Batch:
    """``build_harvest`` in its own transaction."""
    batch = build_harvest(user, **fields)
    db.session.commit()
    return batch
