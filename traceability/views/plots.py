"""Plot, certificate and import pages for the phone.

A form that cannot be accepted is shown again with what was typed and the
service's field messages next to the fields, with status 422.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from core.accounts.current import organization_or_404
from core.dates import parse_day
from core.errors import ValidationError
from core.files.services import store_image
from core.geo.picker import AddressPicker, new_address_picker, read_address_picker
from core.geo.services import format_address, get_commune
from core.i18n import number
from core.numbers import parse_decimal
from traceability.models import CertificateType, Plot
from traceability.services import certificates as certificate_service
from traceability.services import imports as import_service
from traceability.services import plots as plot_service
from traceability.views import bp

INVALID = 422
PER_PAGE = 20
PLOT_FORM = "traceability/plots/form.html"
CROP_LABELS = {"cashew": _l("Cashew"), "pepper": _l("Pepper"), "rubber": _l("Rubber")}
CERTIFICATE_LABELS = {
    CertificateType.VIETGAP.value: _l("VietGAP"),
    CertificateType.GLOBALGAP.value: _l("GlobalGAP"),
    CertificateType.ORGANIC.value: _l("Organic"),
    CertificateType.RAINFOREST_ALLIANCE.value: _l("Rainforest Alliance"),
    CertificateType.FAIRTRADE.value: _l("Fairtrade"),
    CertificateType.OTHER.value: _l("Other"),
}
IMPORT_LABELS = {"plots": _l("Plots"), "harvests": _l("Harvests")}


ADDRESS_PARTS = ("commune_code", "street")


def _plot_data(form: MultiDict, picker: AddressPicker) -> tuple[dict, dict[str, list[str]]]:
    """The plot fields from a form; a GPS point typed as latitude/longitude becomes a GeoJSON Point."""
    data = {
        "name": form.get("name", ""),
        "commune_code": picker.commune_code or "",
        "street": picker.street,
        "area_ha": form.get("area_ha", ""),
        "crops": form.getlist("crops"),
        "growing_area_code": form.get("growing_area_code", ""),
        "deforestation_free": form.get("deforestation_free") == "y",
        "geometry": form.get("geometry", "").strip() or None,
        "gps_accuracy_m": form.get("gps_accuracy_m", "").strip(),
    }
    errors: dict[str, list[str]] = {}
    latitude, longitude = form.get("latitude", "").strip(), form.get("longitude", "").strip()
    if data["geometry"] is None and (latitude or longitude):
        lat, lng = parse_decimal(latitude, locale="en"), parse_decimal(longitude, locale="en")
        if lat is None:
            errors["latitude"] = [_("Enter the latitude as a number, for example 11.851234.")]
        if lng is None:
            errors["longitude"] = [_("Enter the longitude as a number, for example 106.581234.")]
        if lat is not None and lng is not None:
            data["geometry"] = {"type": "Point", "coordinates": [float(lng), float(lat)]}
    return data, errors


def _check_before_saving(data: dict, extra: dict[str, list[str]], picker: AddressPicker) -> None:
    """Every problem at once when the address or a typed coordinate already stops the save.

    The plot service would only say "required" for an address still to choose (several
    communes match the old address, say), so the other fields are checked without it.
    """
    if not extra and not picker.errors:
        return
    errors = dict(extra)
    try:
        plot_service.clean_plot_fields(
            {key: value for key, value in data.items() if key not in ADDRESS_PARTS}, partial=True
        )
    except ValidationError as error:
        errors = {**error.errors, **errors}
    raise ValidationError("Some plot fields are not valid; see errors.", errors=errors)


def _form_errors(
    error: ValidationError, data: dict, extra: dict[str, list[str]], picker: AddressPicker
) -> dict[str, list[str]]:
    errors = {**extra, **(error.errors or {})}
    for part in ADDRESS_PARTS:  # shown by the address picker, next to its own messages
        if part in errors:
            picker.errors.setdefault(part, []).extend(errors.pop(part))
    if "geometry" in errors:
        # The checker explains in English with the coordinates; lead with a line in the reader's language.
        errors["geometry"] = [_("This location is not valid."), *errors["geometry"]]
    if isinstance(data.get("geometry"), dict) and "geometry" in errors:
        errors["latitude"] = errors.pop("geometry")  # the point came from the latitude/longitude fields
    if not errors and not picker.errors:
        errors["_form"] = [error.detail]
    return errors


def _plot_form(status: int = 200, **context):
    context.setdefault("errors", {})
    context.setdefault("values", MultiDict())
    return render_template(
        PLOT_FORM, crop_labels=CROP_LABELS, owners=plot_service.plot_organizations(current_user), **context
    ), status


def _save_plot(save: Callable[[dict], Plot], **context):
    """The new and edit forms sent: other communes shown, or the plot saved, or the form again with the problems."""
    picker = read_address_picker(request.form)
    if picker.refresh:  # "Show communes": the same form with another province's communes, nothing saved
        return _plot_form(values=request.form, picker=picker, **context)
    data, extra = _plot_data(request.form, picker)
    try:
        _check_before_saving(data, extra, picker)
        plot = save(data)
    except ValidationError as error:
        errors = _form_errors(error, data, extra, picker)
        return _plot_form(INVALID, values=request.form, picker=picker, errors=errors, **context)
    flash(_("Plot saved."), "success")
    return redirect(url_for("traceability.plot_detail", plot_id=plot.id), code=303)


@bp.route("/plots")
@login_required
def plot_list():
    organization = organization_or_404()
    page = min(
        max(request.args.get("page", 1, type=int), 1), 100_000
    )  # a page past that is empty; past 2^63 the query fails
    found = plot_service.list_plots(
        current_user, organization_id=organization.id, offset=(page - 1) * PER_PAGE, limit=PER_PAGE
    )
    plots = [(plot, plot_service.eudr_status(plot)) for plot in found.items]
    return render_template(
        "traceability/plots/list.html",
        organization=organization,
        plots=plots,
        total=found.total,
        page=page,
        per_page=PER_PAGE,
        crop_labels=CROP_LABELS,
    )


@bp.route("/plots/new", methods=["GET", "POST"])
@login_required
def plot_new():
    organization = organization_or_404()
    if request.method == "GET":
        values = MultiDict({"owner_id": str(organization.id)})
        return _plot_form(
            organization=organization, values=values, picker=new_address_picker(organization.commune_code)
        )
    owner_id = request.form.get("owner_id", type=int) or organization.id
    return _save_plot(lambda data: plot_service.create_plot(current_user, owner_id, data), organization=organization)


@bp.route("/plots/<int:plot_id>")
@login_required
def plot_detail(plot_id):
    plot = plot_service.get_plot(current_user, plot_id)
    certificates, _total = certificate_service.list_certificates(current_user, plot_id=plot.id, limit=50)
    return render_template(
        "traceability/plots/detail.html",
        plot=plot,
        eudr=plot_service.eudr_status(plot),
        certificates=certificates,
        crop_labels=CROP_LABELS,
        certificate_labels=CERTIFICATE_LABELS,
        address=format_address(plot.commune_code, plot.street) if get_commune(plot.commune_code) else plot.commune_code,
    )


def _plot_values(plot) -> MultiDict:
    values = MultiDict(
        {
            "name": plot.name,
            "area_ha": number(plot.area_ha, 4),  # as this page's language reads it back
            "growing_area_code": plot.growing_area_code or "",
            "owner_id": str(plot.organization_id),
        }
    )
    for crop in plot.crops or []:
        values.add("crops", crop)
    if plot.deforestation_free:
        values["deforestation_free"] = "y"
    if plot.gps_accuracy_m is not None:
        values["gps_accuracy_m"] = number(plot.gps_accuracy_m, 2)
    if plot.geometry and plot.geometry["type"] == "Point":
        values["longitude"], values["latitude"] = (str(c) for c in plot.geometry["coordinates"][:2])
    elif plot.geometry:
        values["geometry"] = json.dumps(plot.geometry)
    return values


@bp.route("/plots/<int:plot_id>/edit", methods=["GET", "POST"])
@login_required
def plot_edit(plot_id):
    organization = organization_or_404()
    # Checked before the form is read: someone who only reads the plot gets no form, filled in or sent.
    plot = plot_service.editable_plot(current_user, plot_id)
    if request.method == "GET":
        picker = new_address_picker(plot.commune_code, plot.street or "")
        return _plot_form(organization=organization, plot=plot, values=_plot_values(plot), picker=picker)
    return _save_plot(
        lambda data: plot_service.update_plot(current_user, plot.id, data), organization=organization, plot=plot
    )


def _certificate_form(status: int = 200, **context):
    organization = context["organization"]
    found = plot_service.list_plots(current_user, organization_id=organization.id, limit=500)
    context.setdefault("errors", {})
    return render_template(
        "traceability/plots/certificate_form.html", plots=found.items, certificate_labels=CERTIFICATE_LABELS, **context
    ), status


def _stored_document(organization_id: int) -> str | None:
    """The public id of the certificate's photo sent with the form, stored (and checked) first; None without one."""
    upload = request.files.get("document")
    if upload is None or not upload.filename:
        return None
    return store_image(current_user, organization_id, upload).public_id


def _certificate_input(form, organization_id: int, document_id: str | None) -> dict:
    return {
        "organization_id": organization_id,
        "type": form.get("type", ""),
        "type_other": form.get("type_other"),
        "number": form.get("number"),
        "issuer": form.get("issuer"),
        "valid_from": parse_day(form.get("valid_from")),
        "valid_to": parse_day(form.get("valid_to")),
        "plot_ids": [int(i) for i in form.getlist("plot_ids") if i.isdigit()],
        "document_id": document_id,
    }


@bp.route("/certificates/new", methods=["GET", "POST"])
@login_required
def certificate_new():
    organization = organization_or_404()
    if request.method == "GET":
        values = MultiDict(
            [("plot_ids", str(request.args.get("plot_id", type=int)))] if request.args.get("plot_id") else []
        )
        return _certificate_form(organization=organization, values=values)
    form = request.form
    document_id = form.get("document_id") or None  # a photo kept from an earlier try of this form
    try:
        document_id = _stored_document(organization.id) or document_id
        certificate = certificate_service.create_certificate(
            current_user, _certificate_input(form, organization.id, document_id)
        )
    except ValidationError as error:
        errors = dict(error.errors or {"_form": [error.detail]})
        if "file" in errors:
            errors["document"] = errors.pop("file")
        return _certificate_form(
            INVALID, organization=organization, values=form, errors=errors, document_id=document_id
        )
    flash(_("Certificate saved. The department will verify it."), "success")
    plot_ids = [plot.id for plot in certificate.plots]
    return redirect(
        url_for("traceability.plot_detail", plot_id=plot_ids[0]) if plot_ids else url_for("traceability.plot_list"),
        code=303,
    )


@bp.route("/imports", methods=["GET", "POST"])
@login_required
def import_sheet():
    organization = organization_or_404()
    template = "traceability/plots/import.html"
    context = {"organization": organization, "kinds": IMPORT_LABELS, "problems": [], "errors": {}}
    if request.method == "GET":
        return render_template(template, values=MultiDict({"kind": request.args.get("kind", "plots")}), **context)
    form = request.form
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template(
            template, values=form, **{**context, "errors": {"file": [_("Choose the file to import.")]}}
        ), INVALID
    try:
        result = import_service.run_import(
            current_user, organization.id, form.get("kind", ""), upload.filename, upload.read()
        )
    except import_service.SheetRejected as rejected:
        return render_template(template, values=form, **{**context, "problems": rejected.problems}), INVALID
    except ValidationError as error:
        return render_template(template, values=form, **{**context, "errors": error.errors}), INVALID
    flash(_("Imported %(count)d rows.", count=result.created), "success")
    return redirect(
        url_for("traceability.plot_list" if result.kind == "plots" else "traceability.batch_list"), code=303
    )
