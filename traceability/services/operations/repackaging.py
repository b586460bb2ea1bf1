"""Split and merge: the same product in new lots (CBV bizStep ``repackaging``), recorded as a TransformationEvent."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from core.accounts.models import User
from core.errors import ValidationError
from core.extensions import db
from traceability import catalog, identifiers
from traceability.errors import MassBalanceError
from traceability.messages import (
    AT_MOST_LOTS,
    AT_MOST_PARTS,
    CHOOSE_TWO_TO_MERGE,
    GIVE_ONE_PART,
    LOTS_OF_DIFFERENT_PRODUCTS,
    MERGE_MIXES_EUDR,
    MERGE_NEEDS_TWO,
    MERGE_SAME_PRODUCT,
    MERGED_LOT_TOO_LARGE,
    PARTS_EXCEED_BATCH,
    PARTS_EXCEED_REMAINING,
    QUANTITY_TOO_LARGE,
    TOO_MANY_LOTS,
    TOO_MANY_PARTS,
)
from traceability.models import Batch, EventType, QuantityRole
from traceability.services import event_input, gtins, ledger
from traceability.services.access import lock_actable
from traceability.services.batches import add_plots, mark_consumed_if_empty, new_batch, require_same_custodian
from traceability.services.claims import refuse_claimed
from traceability.services.eudr import readiness_many
from traceability.services.event_input import Errors, EventTime
from traceability.services.operations.common import (
    MAX_INPUTS,
    MAX_PARTS,
    REPACKAGING,
    clean_note,
    harvest_range,
    link,
    plots_of,
)


class Part(NamedTuple):
    """One lot a split makes: its quantity in the parent's unit, and its own lot number if one was given."""

    quantity: Decimal
    lot_number: str | None


def split(
    user: User, code: str, *, parts: list[dict], note: str | None = None, event_time: datetime | str | None = None
) -> tuple[Batch, list[Batch]]:
    """Split the batch ``code`` into new lots of the given quantities (same product, grade, plots and GTIN).

    A part gets a lot number only when one is given: the parent's stays the parent's, and
    a part without one is found by its own code (the Digital Link uses the code as the lot).
    """
    parts = list(parts or [])
    if len(parts) > MAX_PARTS:
        raise ValidationError(TOO_MANY_PARTS, errors={"parts": [AT_MOST_PARTS(count=MAX_PARTS)]})
    _reader, (parent,) = lock_actable(user, [code])
    checked, when = _checked_parts(parent, parts, event_time)
    total = sum((part.quantity for part in checked), Decimal(0))
    if total > parent.quantity_remaining:
        left, unit = parent.quantity_remaining, parent.unit
        raise MassBalanceError(
            PARTS_EXCEED_BATCH(total=total, unit=unit, code=parent.code, left=left),
            errors={"parts": [PARTS_EXCEED_REMAINING(total=total, unit=unit, left=left)]},
        )
    refuse_claimed([(parent, total, "parts")])

    plots = plots_of([parent])
    children = []
    for i, part in enumerate(checked):
        child = new_batch(
            parent,
            lot_field=f"parts.{i}.lot_number",
            initial_quantity=part.quantity,
            lot_number=part.lot_number,
            note=clean_note(note),
            created_by_id=user.id,
        )
        add_plots(child, plots)
        children.append(child)
    movements = [ledger.Movement(parent, QuantityRole.INPUT, total)] + [
        ledger.Movement(child, QuantityRole.OUTPUT, part.quantity)
        for child, part in zip(children, checked, strict=True)
    ]
    event = _repackaging_event("split", parent.custodian_id, user, movements, when, clean_note(note))
    link([(parent, total)], children, event)
    mark_consumed_if_empty(parent)
    db.session.commit()
    return parent, children


def _checked_parts(parent: Batch, parts: list[dict], event_time: datetime | str | None) -> tuple[list[Part], EventTime]:
    """The parts and the event time, every field checked; all field errors raised together."""
    errors = Errors()
    if not parts:
        errors.add("parts", GIVE_ONE_PART)
    amounts = [
        errors.check(lambda part=part: event_input.quantity(part.get("quantity")), prefix=f"parts.{i}.")
        for i, part in enumerate(parts)
    ]
    lot_numbers = [
        errors.check(lambda lot=part["lot_number"]: identifiers.validate_lot_number(lot), prefix=f"parts.{i}.")
        if part.get("lot_number")
        else None
        for i, part in enumerate(parts)
    ]
    checked = [Part(amount, lot) for amount, lot in zip(amounts, lot_numbers, strict=True)]
    when = errors.check(lambda: event_input.event_time(event_time))
    gtins.check_new_lots([(f"parts.{i}.", parent.gtin, part.lot_number) for i, part in enumerate(checked)], errors)
    errors.raise_if_any()
    return checked, when


def merge(
    user: User, codes: list[str], *, note: str | None = None, event_time: datetime | str | None = None
) -> tuple[Batch, list[str]]:
    """Pool whole lots of one product and grade, held by one organization, into a new lot; returns it and warnings.

    The warnings are ``core.messages.Message``s (English as ``str``; a page translates them).
    """
    codes = list(dict.fromkeys(identifiers.normalize_batch_code(c) for c in codes or []))
    if len(codes) < 2:
        raise ValidationError(MERGE_NEEDS_TWO, errors={"inputs": [CHOOSE_TWO_TO_MERGE]})
    if len(codes) > MAX_INPUTS:
        raise ValidationError(TOO_MANY_LOTS, errors={"inputs": [AT_MOST_LOTS(count=MAX_INPUTS)]})
    _reader, inputs = lock_actable(user, codes, field="inputs")
    custodian = require_same_custodian(inputs, "inputs")
    if len({(b.product, b.grade) for b in inputs}) != 1:
        raise ValidationError(LOTS_OF_DIFFERENT_PRODUCTS, errors={"inputs": [MERGE_SAME_PRODUCT]})
    refuse_claimed([(b, b.quantity_remaining, "inputs") for b in inputs])
    when = event_input.event_time(event_time)
    unit, total, drc = _pooled(inputs)

    warnings = []
    states = readiness_many(inputs)
    if len({states[b.id].ready for b in inputs}) > 1:
        warnings.append(MERGE_MIXES_EUDR)
    first, lot_gtins = inputs[0], {b.gtin for b in inputs}
    merged = new_batch(
        commodity=first.commodity,
        product=first.product,
        grade=first.grade,
        unit=unit,
        initial_quantity=total,
        drc_percent=drc,
        custodian_id=custodian,
        unknown_origin=any(b.unknown_origin for b in inputs),
        gtin=lot_gtins.pop() if len(lot_gtins) == 1 else None,
        note=clean_note(note),
        created_by_id=user.id,
        **harvest_range(inputs),
    )
    add_plots(merged, plots_of(inputs))
    taken = [(b, b.quantity_remaining) for b in inputs]
    movements = [ledger.Movement(b, QuantityRole.INPUT, q) for b, q in taken]
    movements.append(ledger.Movement(merged, QuantityRole.OUTPUT, total))
    extra = {"warnings": [str(w) for w in warnings]} if warnings else None  # stored as plain text
    event = _repackaging_event("merge", custodian, user, movements, when, merged.note, extra)
    link(taken, [merged], event)
    for batch in inputs:
        mark_consumed_if_empty(batch)
    db.session.commit()
    return merged, warnings


def _pooled(inputs: list[Batch]) -> tuple[str, Decimal, Decimal | None]:
    """The merged lot's unit (the inputs' one, else kg), its quantity in that unit and, for latex, its pooled DRC."""
    form = catalog.product(inputs[0].product)
    unit = inputs[0].unit if len({b.unit for b in inputs}) == 1 else "kg"
    in_unit = {b.id: catalog.to_kg(b.quantity_remaining, b.unit) / catalog.to_kg(Decimal(1), unit) for b in inputs}
    total = ledger.quantize(sum(in_unit.values(), Decimal(0)))
    if total > event_input.MAX_QUANTITY:
        raise ValidationError(MERGED_LOT_TOO_LARGE, errors={"inputs": [QUANTITY_TOO_LARGE]})
    drc = None
    if form.needs_drc and all(b.drc_percent is not None for b in inputs):
        dry = sum((catalog.dry_basis(in_unit[b.id], b.drc_percent) for b in inputs), Decimal(0))
        drc = ledger.quantize(dry * 100 / total)
    return unit, total, drc


def _repackaging_event(
    operation: str,
    custodian: int,
    user: User,
    movements: list[ledger.Movement],
    when: EventTime,
    note: str | None,
    extra: dict | None = None,
):
    return ledger.append_event(
        type=EventType.TRANSFORMATION,
        operation=operation,
        biz_step=REPACKAGING,
        disposition="active",
        organization_id=custodian,
        user_id=user.id,
        movements=movements,
        event_time=when.at,
        event_time_zone_offset=when.zone_offset,
        note=note,
        extra=extra,
    )
