"""Transformations: inputs of one product consumed to make output lots of another form, the yield checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from core.accounts.models import User
from core.errors import ValidationError
from core.extensions import db
from core.messages import Quantity
from traceability import catalog, identifiers
from traceability.errors import MassBalanceError, YieldOutOfBandError
from traceability.messages import (
    AT_MOST_INPUT_LOTS,
    AT_MOST_OUTPUT_LOTS,
    AT_MOST_REMAIN,
    CANNOT_BE_MADE_FROM,
    COMMODITY_NAMES,
    DRC_MISSING,
    EACH_INPUT_ONCE,
    GIVE_ONE_OUTPUT,
    INPUT_OVERDRAWN,
    INPUTS_OF_DIFFERENT_PRODUCTS,
    INPUTS_SAME_PRODUCT,
    INVALID_INPUTS,
    INVALID_OUTPUTS,
    LATEX_NEEDS_DRC,
    NOT_MADE_FROM,
    OUTPUTS_SAME_PRODUCT,
    STEP_NOT_FOR_COMMODITY,
    TOO_MANY_INPUTS,
    TOO_MANY_OUTPUTS,
    TRANSFORM_NOT_ALLOWED,
)
from traceability.models import Batch, Event, EventType, QuantityRole
from traceability.services import event_input, gtins, ledger
from traceability.services.access import Reader, lock_actable
from traceability.services.batches import add_plots, mark_consumed_if_empty, new_batch, require_same_custodian
from traceability.services.claims import refuse_claimed
from traceability.services.event_input import Errors, EventTime
from traceability.services.operations.common import (
    MAX_INPUTS,
    MAX_OUTPUTS,
    clean_note,
    harvest_range,
    link,
    plots_of,
)
from traceability.step_names import step_message


@dataclass(frozen=True)
class Output:
    """One output lot as asked, each field checked (None where the check failed or nothing was given)."""

    form: catalog.Product | None
    grade: str | None
    quantity: Decimal | None
    unit: str | None
    drc_percent: Decimal | None
    gtin: str | None
    lot_number: str | None


@dataclass(frozen=True)
class _Checked:
    """Everything a transformation records besides its lots, checked once."""

    amounts: list[Decimal]
    outputs: list[Output]
    step: str
    when: EventTime
    measurements: list[dict]
    where: tuple[int | None, str | None, str | None]


def transform(
    user: User,
    *,
    inputs: list[dict],
    outputs: list[dict],
    step: str,
    reason: str | None = None,
    note: str | None = None,
    event_time: datetime | str | None = None,
    measurements: list[dict] | None = None,
    location: dict | None = None,
) -> tuple[Event, list[Batch]]:
    """Consume inputs of one product and make output lots of another form, its yield checked against the commodity's
    band."""
    codes = _input_codes(inputs, outputs)
    reader, batches = lock_actable(user, codes, field="inputs")
    custodian = require_same_custodian(batches, "inputs")
    if len({b.product for b in batches}) != 1:
        raise ValidationError(INPUTS_OF_DIFFERENT_PRODUCTS, errors={"inputs": [INPUTS_SAME_PRODUCT]})
    checked = _checked(reader, batches, custodian, inputs, outputs, step, event_time, measurements, location)
    taken = list(zip(batches, checked.amounts, strict=True))
    refuse_claimed([(b, a, f"inputs.{i}.quantity") for i, (b, a) in enumerate(taken)])
    anomaly = _check_yield(batches, checked.amounts, checked.outputs, reason)

    lots = _output_lots(user, batches, custodian, checked.outputs, clean_note(note))
    movements = [ledger.Movement(b, QuantityRole.INPUT, a) for b, a in taken]
    movements += [
        ledger.Movement(lot, QuantityRole.OUTPUT, o.quantity) for lot, o in zip(lots, checked.outputs, strict=True)
    ]
    plot_id, location_name, commune_code = checked.where
    event = ledger.append_event(
        type=EventType.TRANSFORMATION,
        operation="transform",
        biz_step=checked.step,
        disposition="active",
        organization_id=custodian,
        user_id=user.id,
        movements=movements,
        event_time=checked.when.at,
        event_time_zone_offset=checked.when.zone_offset,
        plot_id=plot_id,
        location_name=location_name,
        location_commune_code=commune_code,
        measurements=checked.measurements,
        note=clean_note(note),
        anomaly_reason=anomaly,
    )
    link(taken, lots, event)
    for batch in batches:
        mark_consumed_if_empty(batch)
    db.session.commit()
    return event, lots


def _input_codes(inputs: list[dict], outputs: list[dict]) -> list[str]:
    """The input lots' codes, each once; the numbers of inputs and outputs within one operation's size."""
    if len(inputs or []) > MAX_INPUTS:
        raise ValidationError(TOO_MANY_INPUTS, errors={"inputs": [AT_MOST_INPUT_LOTS(count=MAX_INPUTS)]})
    if len(outputs or []) > MAX_OUTPUTS:
        raise ValidationError(TOO_MANY_OUTPUTS, errors={"outputs": [AT_MOST_OUTPUT_LOTS(count=MAX_OUTPUTS)]})
    codes = [identifiers.normalize_batch_code(item.get("code") or "") for item in inputs or []]
    if not codes or len(set(codes)) != len(codes):
        raise ValidationError(INVALID_INPUTS, errors={"inputs": [EACH_INPUT_ONCE]})
    if not outputs:
        raise ValidationError(INVALID_OUTPUTS, errors={"outputs": [GIVE_ONE_OUTPUT]})
    return codes


def _checked(
    reader: Reader,
    batches: list[Batch],
    custodian: int,
    inputs: list[dict],
    outputs: list[dict],
    step: str,
    event_time: datetime | str | None,
    measurements: list[dict] | None,
    location: dict | None,
) -> _Checked:
    """Every field checked, all field errors raised together (an overdrawn input as ``MassBalanceError``)."""
    errors = Errors()
    amounts = _input_amounts(inputs, batches, errors)
    made = _outputs(outputs, batches[0].commodity, errors)
    if len({o.form.code for o in made if o.form}) > 1:
        errors.add("outputs", OUTPUTS_SAME_PRODUCT)
    stored_step = errors.check(lambda: event_input.biz_step(step))
    commodity = batches[0].commodity
    if stored_step and not catalog.step_fits(step, commodity):  # no tapping in a cashew factory
        name = COMMODITY_NAMES.get(commodity, commodity)
        errors.add("step", STEP_NOT_FOR_COMMODITY(code=batches[0].code, commodity=name, step=step_message(step)))
    when = errors.check(lambda: event_input.event_time(event_time))
    measured = errors.check(lambda: catalog.validate_measurements(measurements))
    where = errors.check(lambda: event_input.location(location, reader.organization_ids)) or (None, None, None)
    for i, o in enumerate(made):
        if o.gtin:
            errors.check(lambda o=o: gtins.check_gtin(o.gtin, custodian), prefix=f"outputs.{i}.")
    gtins.check_new_lots([(f"outputs.{i}.", o.gtin, o.lot_number) for i, o in enumerate(made)], errors)
    if any(a > b.quantity_remaining for a, b in zip(amounts, batches, strict=True)):
        raise MassBalanceError(INPUT_OVERDRAWN, errors=errors.fields)
    errors.raise_if_any()
    return _Checked(amounts, made, stored_step, when, measured, where)


def _input_amounts(inputs: list[dict], batches: list[Batch], errors: Errors) -> list[Decimal]:
    """What is taken of each input: the quantity given, or all it has left."""
    amounts = []
    for i, (item, batch) in enumerate(zip(inputs, batches, strict=True)):
        given = item.get("quantity")
        amount = (
            batch.quantity_remaining
            if given in (None, "")
            else errors.check(lambda given=given: event_input.quantity(given), prefix=f"inputs.{i}.")
        )
        if amount is not None and amount > batch.quantity_remaining:
            # A Quantity: the API's English keeps the stored value ("1000.0000"), a page formats it for its reader.
            left = AT_MOST_REMAIN(left=Quantity(batch.quantity_remaining), unit=batch.unit, code=batch.code)
            errors.add(f"inputs.{i}.quantity", left)
        amounts.append(amount or Decimal(0))
    return amounts


def _outputs(outputs: list[dict], commodity: str, errors: Errors) -> list[Output]:
    return [_output(item, commodity, errors, f"outputs.{i}.") for i, item in enumerate(outputs)]


def _output(item: dict, commodity: str, errors: Errors, prefix: str) -> Output:
    form = errors.check(lambda: catalog.product(item.get("product")), prefix)
    if form is not None and form.commodity != commodity:
        errors.add(f"{prefix}product", NOT_MADE_FROM(product=form.code, commodity=commodity))
    gtin, lot_number = item.get("gtin"), item.get("lot_number")
    return Output(
        form=form,
        grade=errors.check(lambda: catalog.normalize_grade(form.code, item.get("grade")), prefix) if form else None,
        quantity=errors.check(lambda: event_input.quantity(item.get("quantity")), prefix),
        unit=errors.check(lambda: event_input.unit(item.get("unit")), prefix),
        drc_percent=errors.check(lambda: event_input.drc_percent(item.get("drc_percent"), form), prefix)
        if form
        else None,
        gtin=errors.check(lambda: identifiers.validate_gtin(gtin), prefix) if gtin else None,
        lot_number=errors.check(lambda: identifiers.validate_lot_number(lot_number), prefix) if lot_number else None,
    )


def _check_yield(batches: list[Batch], amounts: list[Decimal], outputs: list[Output], reason: str | None) -> str | None:
    """Check the yield (output kg per input kg) against the commodity's band.

    None when it is within the band; the anomaly reason when it is outside and a reason was given; otherwise
    ``YieldOutOfBandError``.
    """
    in_form = catalog.product(batches[0].product)
    out_form = outputs[0].form
    band = catalog.conversion_band(in_form.code, out_form.code)
    if band is None:
        field = CANNOT_BE_MADE_FROM(output=out_form.code, input=in_form.code)
        raise ValidationError(TRANSFORM_NOT_ALLOWED, errors={"outputs.0.product": [field]})
    if in_form.needs_drc:
        if any(b.drc_percent is None for b in batches):
            raise ValidationError(DRC_MISSING, errors={"inputs": [LATEX_NEEDS_DRC]})
        basis = sum(
            (catalog.dry_basis(catalog.to_kg(a, b.unit), b.drc_percent) for b, a in zip(batches, amounts, strict=True)),
            Decimal(0),
        )
    else:
        basis = sum((catalog.to_kg(a, b.unit) for b, a in zip(batches, amounts, strict=True)), Decimal(0))
    made = sum((catalog.to_kg(o.quantity, o.unit) for o in outputs), Decimal(0))
    ratio = made / basis if basis else Decimal("Infinity")
    low, high = band
    if low <= ratio <= high:
        return None
    if reason and reason.strip():
        return reason.strip()
    raise YieldOutOfBandError(ratio=ratio, low=low, high=high, input_product=in_form.code, output_product=out_form.code)


def _output_lots(user: User, batches: list[Batch], custodian: int, outputs: list[Output], note: str | None):
    """The output lots (their GTINs registered), with the inputs' origin plots and harvest period."""
    for i, o in enumerate(outputs):
        if o.gtin:
            gtins.register(o.gtin, custodian, field=f"outputs.{i}.gtin")
    plots = plots_of(batches)
    lots = []
    for i, o in enumerate(outputs):
        lot = new_batch(
            lot_field=f"outputs.{i}.lot_number",
            commodity=batches[0].commodity,
            product=o.form.code,
            grade=o.grade,
            unit=o.unit,
            initial_quantity=o.quantity,
            drc_percent=o.drc_percent,
            custodian_id=custodian,
            unknown_origin=any(b.unknown_origin for b in batches),
            gtin=o.gtin,
            lot_number=o.lot_number,
            note=note,
            created_by_id=user.id,
            **harvest_range(batches),
        )
        add_plots(lot, plots)
        lots.append(lot)
    return lots
