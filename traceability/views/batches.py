"""Batch pages for the phone: my lots, register a harvest, a lot's story, record a step, split, receive.

A form that cannot be accepted is shown again with what was typed and the
service's field messages, with status 422.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.accounts.current import organization_or_404
from core.accounts.permissions import actable_organization_ids
from core.dates import parse_day
from core.errors import Conflict, ValidationError
from core.offline import form_done, form_refused, wants_json
from traceability import catalog, step_names
from traceability.messages import DATE_INVALID
from traceability.services import batches, custody, operation_forms, operations, summaries
from traceability.services.event_input import today
from traceability.views import bp
from traceability.views.plots import CROP_LABELS

INVALID = 422
MEASUREMENT_LABELS = {
    "moisture": _l("Moisture (%)"),
    "density": _l("Density (g/l)"),
    "drc": _l("Dry rubber content, DRC (%)"),
    "kor": _l("KOR (lbs per 80 kg bag)"),
    "temperature": _l("Temperature (°C)"),
    "foreign_matter": _l("Foreign matter (%)"),
}


def typed_measurements(form) -> list[dict]:
    """The measurements filled in on a step form (one field per type, ``m_<type>``), in the order of the labels."""
    return [
        {"type": kind, "value": form.get(f"m_{kind}")}
        for kind in MEASUREMENT_LABELS
        if form.get(f"m_{kind}", "").strip()
    ]


def _renumbered(errors: dict, prefix: str, name_of: Callable[[int], str]) -> dict:
    """Field errors the service names by position among what it was sent (``<prefix>.<n>...``), named for the form."""
    return {(name_of(int(key.split(".")[1])) if key.startswith(f"{prefix}.") else key): v for key, v in errors.items()}


def _on_shown_fields(errors: dict, shown: set[str]) -> dict:
    """A measurement field the form does not show (DRC posted to a cashew lot) has its messages on top of the form."""
    moved: dict = {}
    for key, messages in errors.items():
        name = key if not key.startswith("m_") or key in shown else "_form"
        moved.setdefault(name, []).extend(messages)
    return moved


def _fail(template: str, error: ValidationError, values, **context):
    """Show the form again with what was typed and the service's messages (as JSON to the offline queue)."""
    errors = dict(error.errors) or {"_form": [error.detail]}
    if wants_json():
        return form_refused(error, errors)
    return render_template(template, values=values, errors=errors, **context), INVALID


PAGE_SIZE = 20


def _page(name: str) -> int:
    """The page number asked for: a page past 100 000 is empty anyway; past 2^63 the query fails."""
    return min(max(request.args.get(name, 1, type=int), 1), 100_000)


@bp.route("/batches")
@login_required
def batch_list():
    organization = organization_or_404()
    page, sent_page = _page("page"), _page("sent_page")
    found, total = batches.list_batches(
        current_user, custodian_id=organization.id, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    sent, sent_total = custody.handed_over(
        current_user, organization.id, offset=(sent_page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    return render_template(
        "traceability/batches/list.html",
        organization=organization,
        batches=summaries.describe_batches(found),
        total=total,
        page=page,
        sent=sent,
        sent_total=sent_total,
        sent_page=sent_page,
        page_size=PAGE_SIZE,
        product_name=summaries.product_name,
        grade_label=catalog.grade_label,
        incoming=custody.incoming_shipments(current_user),
    )


def _harvest_context(organization):
    products = [(p.code, p.name) for p in catalog.PRODUCTS.values() if p.harvested]
    return {
        "organization": organization,
        "plots": batches.plots_for_harvest(current_user, organization.id),
        "product_options": products,
        "today": today(),
        "crop_labels": CROP_LABELS,
    }


def _harvest_input(form) -> dict:
    """The harvest typed; a day the browser sent that names no day is refused before the service is asked."""
    harvest_date = parse_day(form.get("harvest_date"))
    if form.get("harvest_date") and harvest_date is None:
        raise ValidationError("Some fields are not valid.", errors={"harvest_date": [DATE_INVALID]})
    return {
        "product": form.get("product", ""),
        "grade": form.get("grade") or None,
        "quantity": form.get("quantity", ""),
        "unit": form.get("unit") or "kg",
        "drc_percent": form.get("drc_percent") or None,
        "plot_ids": [int(i) for i in form.getlist("plot_ids") if i.isdigit()],
        "harvest_date": harvest_date,
        "lot_number": form.get("lot_number") or None,
        "gtin": form.get("gtin") or None,
        "note": form.get("note") or None,
    }


@bp.route("/batches/new", methods=["GET", "POST"])
@login_required
def harvest_new():
    organization = organization_or_404()
    template = "traceability/batches/harvest.html"
    if request.method == "GET":
        return render_template(template, values=request.form, errors={}, **_harvest_context(organization))
    form = request.form
    try:
        # The form names the organization it was filled for: a queued send may arrive after the farmer switched.
        chosen = form.get("organization_id", "")
        organization_id = int(chosen) if chosen.isdigit() and len(chosen) < 12 else organization.id
        batch = batches.record_harvest(current_user, organization_id=organization_id, **_harvest_input(form))
    except ValidationError as error:
        return _fail(template, error, form, **_harvest_context(organization))
    message = _("Harvest recorded. Lot code: %(code)s", code=batch.code)
    return form_done(url_for("traceability.batch_detail", code=batch.code), message)


@bp.route("/batches/<code>")
@login_required
def batch_detail(code):
    overview = summaries.batch_overview(current_user, code)
    # Labels and page views are for whoever holds the lot, even once it is used up.
    holder = overview["batch"]["custodian_id"] in actable_organization_ids(current_user)
    return render_template(
        "traceability/batches/detail.html",
        measurement_labels=MEASUREMENT_LABELS,
        event_name=step_names.event_name,
        holder=holder,
        **overview,
    )


def _step_context(code):
    """The lot, and only the steps and measurements of its commodity and product (no tapping or DRC on a cashew lot,
    no KOR on its kernels)."""
    # Only those who may act on the lot get its form (officers read lots, they never record on them).
    batch = operation_forms.actable_lot(current_user, code)
    commodity = batch["commodity"]
    return {
        "batch": batch,
        "steps": {s: name for s, name in step_names.STEP_CHOICES.items() if catalog.step_fits(s, commodity)},
        "measurement_labels": {
            kind: label
            for kind, label in MEASUREMENT_LABELS.items()
            if catalog.measurement_fits(kind, commodity, batch["product"])
        },
    }


@bp.route("/batches/<code>/steps/new", methods=["GET", "POST"])
@login_required
def step_new(code):
    template = "traceability/batches/step.html"
    if request.method == "GET":
        return render_template(template, values=request.form, errors={}, kept_photos=[], **_step_context(code))
    form = request.form
    measured = typed_measurements(form)
    try:
        batches.record_step_with_photo(
            current_user,
            code,
            photo=request.files.get("photo"),
            photos=form.getlist("photos"),
            step=form.get("step", ""),
            event_time=form.get("event_time") or None,
            measurements=measured,
            note=form.get("note") or None,
            quantity_after=form.get("quantity_after") or None,
        )
    except ValidationError as error:
        # The form names a measurement by its type, not by its place among those filled in.
        error.errors = _renumbered(error.errors, "measurements", lambda i: f"m_{measured[i]['type']}")
        context = _step_context(code)
        error.errors = _on_shown_fields(error.errors, {f"m_{kind}" for kind in context["measurement_labels"]})
        return _fail(template, error, form, kept_photos=error.extra.get("photos", []), **context)
    return form_done(url_for("traceability.batch_detail", code=code), _("Step recorded."))


@bp.route("/batches/<code>/split", methods=["GET", "POST"])
@login_required
def split(code):
    template = "traceability/batches/split.html"
    context = {"batch": operation_forms.actable_lot(current_user, code), "rows": range(4)}
    if request.method == "GET":
        return render_template(template, values=request.form, errors={}, **context)
    form = request.form
    rows = [i for i, q in enumerate(form.getlist("part_quantity")) if q.strip()]
    parts = [{"quantity": form.getlist("part_quantity")[i]} for i in rows]
    try:
        _parent, children = operations.split(
            current_user, code, parts=parts, note=form.get("note") or None, event_time=form.get("event_time") or None
        )
    except ValidationError as error:
        # Parts are numbered among the filled rows; the form numbers every row.
        error.errors = _renumbered(error.errors, "parts", lambda i: f"parts.{rows[i]}.quantity")
        return _fail(template, error, form, **context)
    return form_done(
        url_for("traceability.batch_detail", code=code), _("Lot split into %(count)d new lots.", count=len(children))
    )


@bp.route("/shipments/<int:shipment_id>/receive", methods=["POST"])
@login_required
def receive(shipment_id):
    try:
        shipment = custody.receive(current_user, shipment_id)
    except Conflict:
        flash(_("This shipment was already received."), "warning")
        return redirect(url_for("traceability.batch_list"), code=303)
    flash(_("Receipt confirmed. The lot is now yours."), "success")
    return redirect(url_for("traceability.batch_detail", code=custody.batch_code(shipment)), code=303)
