"""Operations pages for processors and co-ops: merge lots, transform them, ship one, see shipments, declare an error.

Each page acts for the user's current organization. A form that cannot be
accepted is shown again with what was typed and the service's field messages
(422, or 409 when something changed meanwhile). The service numbers the lots
and outputs it was given; the forms name fields by lot code and row, so field
errors are renamed on the way back.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from core.accounts import directory
from core.accounts.current import organization_or_404
from core.accounts.forms import KIND_LABELS
from core.errors import Conflict, DomainError, ValidationError
from core.i18n import translate
from traceability import catalog
from traceability.errors import YieldOutOfBandError
from traceability.messages import CORRECTION_REASON_REQUIRED, RECEIVER_REQUIRED, REFERENCE_TOO_LONG
from traceability.services import corrections, custody, operation_forms, operations
from traceability.services.corrections import REASONS
from traceability.step_names import STEP_CHOICES, STEP_NAMES
from traceability.views import bp
from traceability.views.batches import MEASUREMENT_LABELS, typed_measurements

OUTPUT_ROWS = 3
REFERENCE_LENGTH = 100  # shipments.reference
TRANSFORM_TEMPLATE = "traceability/operations/transform.html"
CORRECTION_CHOICES = {
    "steps": STEP_CHOICES,
    "event_labels": STEP_NAMES,  # the record corrected may be of any step
    "measurement_labels": MEASUREMENT_LABELS,
    "reasons": REASONS,
}
CORRECTION_FIELDS = {"reason", "note", "quantity", "step", "event_time", "step_note"} | {
    f"m_{kind}" for kind in MEASUREMENT_LABELS
}


def _values():
    """What was typed: the form after a POST, the query string (e.g. a lot chosen on its page) on a GET."""
    return request.form if request.method == "POST" else request.args


def _errors(
    error: DomainError, known: set[str], rename: Callable[[str], str] = lambda key: key
) -> dict[str, list[str]]:
    """The error's field messages under the form's field names; those of no field on the form go on top of it."""
    errors: dict[str, list[str]] = {}
    for key, messages in (error.errors or {}).items():
        name = rename(key)
        errors.setdefault(name if name in known else "_form", []).extend(messages)
    if not errors:
        errors["_form"] = [error.detail]
    return errors


def _indexed(key: str, prefix: str) -> tuple[int, str] | None:
    """("inputs.2.quantity", "inputs") → (2, "quantity")."""
    head, _dot, rest = key.partition(".")
    index, _dot, field = rest.partition(".")
    return (int(index), field) if head == prefix and index.isdigit() else None


@bp.route("/batches/merge", methods=["GET", "POST"])
@login_required
def merge_new():
    organization = organization_or_404()
    template = "traceability/operations/merge.html"
    values = _values()
    # A lot's page links here with its product and grade: only lots like it can be merged with it.
    grade = request.args.get("grade")
    lots = operation_forms.usable_lots(
        current_user, organization.id, product=request.args.get("product") or None, grade=grade
    )
    context = {"organization": organization, "lots": lots}
    if request.method == "GET":
        return render_template(template, values=values, errors={}, **context)
    try:
        merged, warnings = operations.merge(current_user, values.getlist("code"), note=values.get("note") or None)
    except (ValidationError, Conflict) as error:
        return render_template(
            template, values=values, errors=_errors(error, {"inputs", "note"}), **context
        ), error.status
    flash(_("Lots merged into lot %(code)s.", code=merged.code), "success")
    for warning in warnings:
        flash(translate(warning), "warning")
    return redirect(url_for("traceability.batch_detail", code=merged.code), code=303)


def _output_products(input_product: str | None) -> list[tuple[str, str]]:
    """Product forms a transformation may make (from ``input_product`` when it is known)."""
    inputs = [input_product] if input_product in catalog.PRODUCTS else list(catalog.PRODUCTS)
    return [
        (p.code, str(p.name))
        for p in catalog.PRODUCTS.values()
        if any(catalog.conversion_band(i, p.code) for i in inputs)
    ]


def _transform_rename(codes: list[str], rows: list[int]) -> Callable[[str], str]:
    def rename(key: str) -> str:
        found = _indexed(key, "inputs")
        if found and found[0] < len(codes):
            return f"input_qty_{codes[found[0]]}"
        found = _indexed(key, "outputs")
        if found and found[1] in ("product", "unit"):
            return found[1]
        if found and found[1] in ("grade", "quantity") and found[0] < len(rows):
            return f"output_{found[1]}.{rows[found[0]]}"
        return "outputs" if found else key

    return rename


def _transform_input(values) -> tuple[dict, list[str], list[int]]:
    """The transformation typed, and how to name its fields back: input lot codes, filled output rows."""
    codes = values.getlist("input_code")
    grades, quantities = (values.getlist(name) + [""] * OUTPUT_ROWS for name in ("output_grade", "output_quantity"))
    rows = [i for i in range(OUTPUT_ROWS) if quantities[i].strip() or grades[i].strip()]
    unit = values.get("unit") or "kg"
    data = {
        "inputs": [{"code": code, "quantity": values.get(f"input_qty_{code}", "").strip() or None} for code in codes],
        "outputs": [
            {
                "product": values.get("product"),
                "grade": grades[i].strip() or None,
                "quantity": quantities[i],
                "unit": unit,
            }
            for i in rows
        ],
        "step": values.get("step", ""),
        "reason": values.get("reason") or None,
        "note": values.get("note") or None,
        "event_time": values.get("event_time") or None,
    }
    return data, codes, rows


def _transform_context(organization, product: str | None) -> dict:
    """The lots to take and the products to make (from ``product`` when a lot's page linked here with it)."""
    return {
        "organization": organization,
        "lots": operation_forms.usable_lots(current_user, organization.id, product=product),
        "product_options": _output_products(product),
        "steps": STEP_CHOICES,
        "rows": range(OUTPUT_ROWS),
    }


def _transform_refused(error: DomainError, values, codes: list[str], rows: list[int], context: dict):
    """The form again; a yield refusal opens the reason field, which stays open once something is typed in it."""
    refused_for_yield = error.code == YieldOutOfBandError.code
    known = {"inputs", "outputs", "product", "unit", "step", "event_time", "note", "reason"}
    known |= {f"input_qty_{code}" for code in codes} | {
        f"output_{name}.{i}" for name in ("grade", "quantity") for i in rows
    }
    errors = _errors(error, known, _transform_rename(codes, rows))
    show_reason = refused_for_yield or bool(values.get("reason", "").strip())
    return render_template(
        TRANSFORM_TEMPLATE,
        values=values,
        errors=errors,
        show_reason=show_reason,
        yield_refused=refused_for_yield,
        **context,
    ), error.status


@bp.route("/batches/transform", methods=["GET", "POST"])
@login_required
def transform_new():
    values = _values()
    context = _transform_context(organization_or_404(), request.args.get("product") or None)
    if request.method == "GET":
        return render_template(TRANSFORM_TEMPLATE, values=values, errors={}, show_reason=False, **context)
    data, codes, rows = _transform_input(values)
    try:
        event, lots = operations.transform(current_user, **data)
    except (ValidationError, Conflict) as error:
        return _transform_refused(error, values, codes, rows, context)
    flash(
        ngettext("Processing recorded: %(num)d new lot.", "Processing recorded: %(num)d new lots.", len(lots)),
        "success",
    )
    if event.anomaly_reason:
        flash(_("The yield is unusual; your reason is recorded and shown to the department."), "warning")
    return redirect(url_for("traceability.batch_detail", code=lots[0].code), code=303)


def _chosen_receiver(values, receivers: list):
    """The organization picked as receiver, kept on the list shown again (it may not match the search)."""
    chosen_id = values.get("to_organization_id", "")
    chosen = directory.public_organization(int(chosen_id)) if chosen_id.isdigit() else None
    if chosen is not None and chosen not in receivers:
        receivers.insert(0, chosen)
    return chosen


def _check_shipment_form(values, chosen) -> None:
    """What the page checks before the service: a receiver chosen, a reference that fits its column."""
    problems = {"to_organization_id": [RECEIVER_REQUIRED]} if chosen is None else {}
    if len(values.get("reference", "").strip()) > REFERENCE_LENGTH:
        problems["reference"] = [REFERENCE_TOO_LONG]
    if problems:
        raise ValidationError("Some fields are not valid.", errors=problems)


@bp.route("/batches/<code>/ship", methods=["GET", "POST"])
@login_required
def ship(code):
    lot = operation_forms.actable_lot(current_user, code)
    template = "traceability/operations/ship.html"
    values = _values()
    receivers = directory.search_organizations(values.get("q"), exclude_ids=[lot["custodian_id"]])
    context = {
        "batch": lot,
        "receivers": receivers,
        "kind_labels": KIND_LABELS,
        "min_query": directory.MIN_QUERY_LENGTH,
    }
    if request.method == "GET":
        return render_template(template, values=values, errors={}, **context)
    chosen = _chosen_receiver(values, receivers)
    try:
        _check_shipment_form(values, chosen)
        custody.ship(
            current_user,
            lot["code"],
            to_organization_id=chosen.id,
            reference=values.get("reference"),
            note=values.get("note"),
        )
    except (ValidationError, Conflict) as error:
        errors = _errors(error, {"to_organization_id", "reference", "note"})
        return render_template(template, values=values, errors=errors, **context), error.status
    flash(
        _(
            "Lot %(code)s is on its way to %(name)s. It stays in transit until they confirm receipt.",
            code=lot["code"],
            name=chosen.name,
        ),
        "success",
    )
    return redirect(url_for("traceability.batch_detail", code=lot["code"]), code=303)


@bp.route("/shipments")
@login_required
def shipment_list():
    organization = organization_or_404()
    shipments = operation_forms.open_shipments(current_user, organization.id)
    return render_template("traceability/operations/shipments.html", organization=organization, **shipments)


def _correction_rename(measured: list[dict]) -> Callable[[str], str]:
    def rename(key: str) -> str:
        if not key.startswith("corrective."):
            return key
        field = key.removeprefix("corrective.")
        found = _indexed(field, "measurements")
        if found and found[0] < len(measured):
            return f"m_{measured[found[0]]['type']}"
        return {"note": "step_note", "batch_code": "step"}.get(field, field)

    return rename


def _correction_input(values, batch_code: str, measured: list[dict]) -> dict:
    """The declaration typed: its reason (required before the service is asked), a note, a corrective step."""
    if values.get("reason") not in REASONS:
        raise ValidationError("No reason chosen.", errors={"reason": [CORRECTION_REASON_REQUIRED]})
    corrective = None
    if values.get("step"):
        corrective = {
            "batch_code": batch_code,
            "step": values["step"],
            "event_time": values.get("event_time") or None,
            "measurements": measured,
            "note": values.get("step_note") or None,
        }
    return {
        "reason": values["reason"],
        "note": values.get("note") or None,
        "corrective": corrective,
        "quantity": values.get("quantity", "").strip() or None,
    }


@bp.route("/batches/<code>/events/<int:event_id>/correction", methods=["GET", "POST"])
@login_required
def correction_new(code, event_id):
    batch, event = operation_forms.event_to_correct(current_user, code, event_id)
    template = "traceability/operations/correction.html"
    context = {"batch": batch, "event": event, **CORRECTION_CHOICES}
    values = _values()
    if request.method == "GET":
        return render_template(template, values=values, errors={}, **context)
    measured = typed_measurements(values)
    try:
        corrections.correct(current_user, event_id, **_correction_input(values, batch["code"], measured))
    except (ValidationError, Conflict) as error:
        errors = _errors(error, CORRECTION_FIELDS, _correction_rename(measured))
        return render_template(template, values=values, errors=errors, **context), error.status
    flash(_("The error is recorded. The original record stays visible, marked as corrected."), "success")
    return redirect(url_for("traceability.batch_detail", code=batch["code"]), code=303)
