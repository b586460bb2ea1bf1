"""Split, merge and transform: operations that make new lots out of existing ones, each one transaction.

All three are recorded as one EPCIS TransformationEvent: the batches taken from
are its inputs and the new lots its outputs. EPCIS offers AggregationEvents for
packing into a container, but a lot split into lots (or lots pooled into one) is
not a container holding its contents: the parts are new lots with their own
codes, made from the quantity taken from the originals, and only a
TransformationEvent states "these outputs were made from those inputs", which is
what lineage and mass balance need. Split and merge use the CBV bizStep
``repackaging`` (the product itself is unchanged); a transformation uses the
processing step it is (shelling, drying, crumbling...). The set of origin plots
follows every output: the union of its inputs' plots.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from core.accounts.models import User
from core.errors import ValidationError
from core.extensions import db
from traceability import catalog, identifiers
from traceability.errors import MassBalanceError, YieldOutOfBandError
from traceability.messages import CANNOT_BE_MADE_FROM, DRC_MISSING, LATEX_NEEDS_DRC, TRANSFORM_NOT_ALLOWED
from traceability.models import Batch, BatchLink, BatchPlot, Event, EventType, QuantityRole
from traceability.services import event_input, gtins, ledger
from traceability.services.access import lock_actable
from traceability.services.batches import add_plots, mark_consumed_if_empty, new_batch, require_same_custodian
from traceability.services.claims import refuse_claimed
from traceability.services.eudr import readiness_many
from traceability.services.event_input import Errors

REPACKAGING = "repackaging"
# Sizes of one operation: enough for a co-op's collection day, small enough to answer quickly.
MAX_PARTS = 50
MAX_INPUTS = 100
MAX_OUTPUTS = 10
MERGE_WARNING = "Some merged lots are EUDR-ready and others are not: the merged lot is not EUDR-ready."


def _plots_of(batches: list[Batch]) -> set[int]:
    return set(db.session.scalars(select(BatchPlot.plot_id).where(BatchPlot.batch_id.in_([b.id for b in batches]))))


def _link(parents: list[tuple[Batch, Decimal]], children: list[Batch], event: Event) -> None:
    for parent, taken in parents:
        for child in children:
            db.session.add(
                BatchLink(parent_id=parent.id, child_id=child.id, event_id=event.id, quantity=ledger.quantize(taken))
            )


def _harvest_range(batches: list[Batch]) -> dict:
    starts = [b.harvest_start for b in batches if b.harvest_start]
    ends = [b.harvest_end or b.harvest_start for b in batches if b.harvest_end or b.harvest_start]
    return {"harvest_start": min(starts) if starts else None, "harvest_end": max(ends) if ends else None}


def split(
    user: User, code: str, *, parts: list[dict], note: str | None = None, event_time: datetime | str | None = None
) -> tuple[Batch, list[Batch]]:
    """Split the batch ``code`` into new lots of the given quantities (same product, grade, plots and GTIN).

    A part gets a lot number only when one is given: the parent's stays the parent's, and
    a part without one is found by its own code (the Digital Link uses the code as the lot).
    """
    parts = list(parts or [])
    if len(parts) > MAX_PARTS:
        raise ValidationError("Too many parts.", errors={"parts": [f"At most {MAX_PARTS} parts at a time."]})
    _reader, (parent,) = lock_actable(user, [code])
    errors = Errors()
    if not parts:
        errors.add("parts", "Give at least one part.")
    amounts = [
        errors.check(lambda part=part: event_input.quantity(part.get("quantity")), prefix=f"parts.{i}.")
        for i, part in enumerate(parts)
    ]
    lot_numbers = [
        errors.check(lambda part=part: identifiers.validate_lot_number(part["lot_number"]), prefix=f"parts.{i}.")
        if part.get("lot_number")
        else None
        for i, part in enumerate(parts)
    ]
    when = errors.check(lambda: event_input.event_time(event_time))
    gtins.check_new_lots([(f"parts.{i}.", parent.gtin, lot) for i, lot in enumerate(lot_numbers)], errors)
    errors.raise_if_any()
    total = sum(amounts, Decimal(0))
    if total > parent.quantity_remaining:
        raise MassBalanceError(
            f"The parts add up to {total} {parent.unit} but batch {parent.code} has {parent.quantity_remaining} "
            f"{parent.unit} left.",
            errors={
                "parts": [
                    f"The parts add up to {total} {parent.unit}; at most {parent.quantity_remaining} "
                    f"{parent.unit} remain."
                ]
            },
        )
    refuse_claimed([(parent, total, "parts")])

    plots = _plots_of([parent])
    children = []
    for i, (amount, lot_number) in enumerate(zip(amounts, lot_numbers, strict=True)):
        child = new_batch(
            parent,
            lot_field=f"parts.{i}.lot_number",
            initial_quantity=amount,
            lot_number=lot_number,
            note=(note or "").strip() or None,
            created_by_id=user.id,
        )
        add_plots(child, plots)
        children.append(child)
    movements = [ledger.Movement(parent, QuantityRole.INPUT, total)] + [
        ledger.Movement(c, QuantityRole.OUTPUT, a) for c, a in zip(children, amounts, strict=True)
    ]
    event = ledger.append_event(
        type=EventType.TRANSFORMATION,
        operation="split",
        biz_step=REPACKAGING,
        disposition="active",
        organization_id=parent.custodian_id,
        user_id=user.id,
        movements=movements,
        event_time=when[0],
        event_time_zone_offset=when[1],
        note=(note or "").strip() or None,
    )
    _link([(parent, total)], children, event)
    mark_consumed_if_empty(parent)
    db.session.commit()
    return parent, children


def merge(
    user: User, codes: list[str], *, note: str | None = None, event_time: datetime | str | None = None
) -> tuple[Batch, list[str]]:
    """Pool whole lots of one product and grade, held by one organization, into a new lot; returns it and warnings."""
    codes = list(dict.fromkeys(identifiers.normalize_batch_code(c) for c in codes or []))
    if len(codes) < 2:
        raise ValidationError(
            "A merge needs two lots.", errors={"inputs": ["Choose at least two different lots to merge."]}
        )
    if len(codes) > MAX_INPUTS:
        raise ValidationError("Too many lots.", errors={"inputs": [f"At most {MAX_INPUTS} lots at a time."]})
    _reader, inputs = lock_actable(user, codes, field="inputs")
    custodian = require_same_custodian(inputs, "inputs")
    if len({(b.product, b.grade) for b in inputs}) != 1:
        raise ValidationError(
            "Lots of different products.", errors={"inputs": ["Only lots of the same product and grade can be merged."]}
        )
    refuse_claimed([(b, b.quantity_remaining, "inputs") for b in inputs])
    when = event_input.event_time(event_time)
    first = inputs[0]
    form = catalog.product(first.product)
    unit = first.unit if len({b.unit for b in inputs}) == 1 else "kg"
    in_unit = {b.id: catalog.to_kg(b.quantity_remaining, b.unit) / catalog.to_kg(Decimal(1), unit) for b in inputs}
    total = ledger.quantize(sum(in_unit.values(), Decimal(0)))
    if total > event_input.MAX_QUANTITY:
        raise ValidationError("The merged lot is too large.", errors={"inputs": ["The quantity is too large."]})
    drc = None
    if form.needs_drc and all(b.drc_percent is not None for b in inputs):
        dry = sum((catalog.dry_basis(in_unit[b.id], b.drc_percent) for b in inputs), Decimal(0))
        drc = ledger.quantize(dry * 100 / total)

    warnings = []
    states = readiness_many(inputs)
    if len({states[b.id].ready for b in inputs}) > 1:
        warnings.append(MERGE_WARNING)
    gtins = {b.gtin for b in inputs}
    merged = new_batch(
        commodity=first.commodity,
        product=first.product,
        grade=first.grade,
        unit=unit,
        initial_quantity=total,
        drc_percent=drc,
        custodian_id=custodian,
        unknown_origin=any(b.unknown_origin for b in inputs),
        gtin=gtins.pop() if len(gtins) == 1 else None,
        note=(note or "").strip() or None,
        created_by_id=user.id,
        **_harvest_range(inputs),
    )
    add_plots(merged, _plots_of(inputs))
    taken = [(b, b.quantity_remaining) for b in inputs]
    movements = [ledger.Movement(b, QuantityRole.INPUT, q) for b, q in taken] + [
        ledger.Movement(merged, QuantityRole.OUTPUT, total)
    ]
    event = ledger.append_event(
        type=EventType.TRANSFORMATION,
        operation="merge",
        biz_step=REPACKAGING,
        disposition="active",
        organization_id=custodian,
        user_id=user.id,
        movements=movements,
        event_time=when[0],
        event_time_zone_offset=when[1],
        note=merged.note,
        extra={"warnings": warnings} if warnings else None,
    )
    _link(taken, [merged], event)
    for batch in inputs:
        mark_consumed_if_empty(batch)
    db.session.commit()
    return merged, warnings


def _input_amounts(inputs: list[dict], batches: list[Batch], errors: Errors) -> list[Decimal]:
    amounts = []
    for i, (item, batch) in enumerate(zip(inputs, batches, strict=True)):
        given = item.get("quantity")
        amount = (
            batch.quantity_remaining
            if given in (None, "")
            else errors.check(lambda given=given: event_input.quantity(given), prefix=f"inputs.{i}.")
        )
        if amount is not None and amount > batch.quantity_remaining:
            errors.add(
                f"inputs.{i}.quantity", f"At most {batch.quantity_remaining} {batch.unit} remain in batch {batch.code}."
            )
        amounts.append(amount or Decimal(0))
    return amounts


def _outputs(outputs: list[dict], commodity: str, errors: Errors) -> list[dict]:
    cleaned = []
    for i, item in enumerate(outputs):
        prefix = f"outputs.{i}."
        form = errors.check(lambda item=item: catalog.product(item.get("product")), prefix)
        if form is not None and form.commodity != commodity:
            errors.add(f"{prefix}product", f"{form.code} is not made from {commodity}.")
        values = {
            "form": form,
            "grade": errors.check(
                lambda item=item, form=form: catalog.normalize_grade(form.code, item.get("grade")), prefix
            )
            if form
            else None,
            "quantity": errors.check(lambda item=item: event_input.quantity(item.get("quantity")), prefix),
            "unit": errors.check(lambda item=item: event_input.unit(item.get("unit")), prefix),
            "drc_percent": errors.check(
                lambda item=item, form=form: event_input.drc_percent(item.get("drc_percent"), form), prefix
            )
            if form
            else None,
            "gtin": errors.check(lambda item=item: identifiers.validate_gtin(item["gtin"]), prefix)
            if item.get("gtin")
            else None,
            "lot_number": errors.check(lambda item=item: identifiers.validate_lot_number(item["lot_number"]), prefix)
            if item.get("lot_number")
            else None,
        }
        cleaned.append(values)
    return cleaned


def _check_yield(batches: list[Batch], amounts: list[Decimal], outputs: list[dict], reason: str | None) -> str | None:
    """Check the yield (output kg per input kg) against the commodity's band.

    None when it is within the band; the anomaly reason when it is outside and a reason was given; otherwise
    ``YieldOutOfBandError``.
    """
    in_form = catalog.product(batches[0].product)
    out_form = outputs[0]["form"]
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
    made = sum((catalog.to_kg(o["quantity"], o["unit"]) for o in outputs), Decimal(0))
    ratio = made / basis if basis else Decimal("Infinity")
    low, high = band
    if low <= ratio <= high:
        return None
    if reason and reason.strip():
        return reason.strip()
    raise YieldOutOfBandError(ratio=ratio, low=low, high=high, input_product=in_form.code, output_product=out_form.code)


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
    if len(inputs or []) > MAX_INPUTS:
        raise ValidationError("Too many inputs.", errors={"inputs": [f"At most {MAX_INPUTS} input lots at a time."]})
    if len(outputs or []) > MAX_OUTPUTS:
        raise ValidationError(
            "Too many outputs.", errors={"outputs": [f"At most {MAX_OUTPUTS} output lots at a time."]}
        )
    codes = [identifiers.normalize_batch_code(item.get("code") or "") for item in inputs or []]
    if not codes or len(set(codes)) != len(codes):
        raise ValidationError("Invalid inputs.", errors={"inputs": ["Give each input lot once, at least one."]})
    if not outputs:
        raise ValidationError("Invalid outputs.", errors={"outputs": ["Give at least one output."]})
    reader, batches = lock_actable(user, codes, field="inputs")
    custodian = require_same_custodian(batches, "inputs")
    if len({b.product for b in batches}) != 1:
        raise ValidationError(
            "Inputs of different products.", errors={"inputs": ["All inputs must be the same product."]}
        )
    errors = Errors()
    amounts = _input_amounts(inputs, batches, errors)
    made = _outputs(outputs, batches[0].commodity, errors)
    if len({o["form"].code for o in made if o["form"]}) > 1:
        errors.add("outputs", "All outputs of one transformation are the same product (grades may differ).")
    stored_step = errors.check(lambda: event_input.biz_step(step))
    when = errors.check(lambda: event_input.event_time(event_time))
    measured = errors.check(lambda: catalog.validate_measurements(measurements))
    where = errors.check(lambda: event_input.location(location, reader.organization_ids)) or (None, None, None)
    for i, o in enumerate(made):
        if o["gtin"]:
            errors.check(lambda o=o: gtins.check_gtin(o["gtin"], custodian), prefix=f"outputs.{i}.")
    gtins.check_new_lots([(f"outputs.{i}.", o["gtin"], o["lot_number"]) for i, o in enumerate(made)], errors)
    if any(a > b.quantity_remaining for a, b in zip(amounts, batches, strict=True)):
        raise MassBalanceError("More was asked of an input than it has left.", errors=errors.fields)
    errors.raise_if_any()
    refuse_claimed([(b, a, f"inputs.{i}.quantity") for i, (b, a) in enumerate(zip(batches, amounts, strict=True))])
    anomaly = _check_yield(batches, amounts, made, reason)

    for i, o in enumerate(made):
        if o["gtin"]:
            gtins.register(o["gtin"], custodian, field=f"outputs.{i}.gtin")
    plots = _plots_of(batches)
    text = (note or "").strip() or None
    lots = []
    for i, o in enumerate(made):
        lot = new_batch(
            lot_field=f"outputs.{i}.lot_number",
            commodity=batches[0].commodity,
            product=o["form"].code,
            grade=o["grade"],
            unit=o["unit"],
            initial_quantity=o["quantity"],
            drc_percent=o["drc_percent"],
            custodian_id=custodian,
            unknown_origin=any(b.unknown_origin for b in batches),
            gtin=o["gtin"],
            lot_number=o["lot_number"],
            note=text,
            created_by_id=user.id,
            **_harvest_range(batches),
        )
        add_plots(lot, plots)
        lots.append(lot)
    movements = [ledger.Movement(b, QuantityRole.INPUT, a) for b, a in zip(batches, amounts, strict=True)]
    movements += [ledger.Movement(lot, QuantityRole.OUTPUT, o["quantity"]) for lot, o in zip(lots, made, strict=True)]
    event = ledger.append_event(
        type=EventType.TRANSFORMATION,
        operation="transform",
        biz_step=stored_step,
        disposition="active",
        organization_id=custodian,
        user_id=user.id,
        movements=movements,
        event_time=when[0],
        event_time_zone_offset=when[1],
        plot_id=where[0],
        location_name=where[1],
        location_commune_code=where[2],
        measurements=measured,
        note=text,
        anomaly_reason=anomaly,
    )
    _link(list(zip(batches, amounts, strict=True)), lots, event)
    for batch in batches:
        mark_consumed_if_empty(batch)
    db.session.commit()
    return event, lots
