"""The department's pages: certificates waiting for verification, and recalls (officers also have the API).

An officer opens the queue from the menu, looks at the certificate's photo, and verifies it or rejects it with
a reason the producer sees. Recalls: the latest ones, and a form to recall a lot by its code. The services
check the officer's role again; a form that cannot be accepted comes back with its message and what was typed.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.accounts.current import officer_or_403
from core.accounts.directory import organization_names
from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.i18n import translate
from traceability.services import certificates as certificate_service
from traceability.services import recalls as recall_service
from traceability.views import bp
from traceability.views.plots import CERTIFICATE_LABELS

INVALID = 422
QUEUE_TEMPLATE = "traceability/department/certificates.html"
RECALLS_TEMPLATE = "traceability/department/recalls.html"


def _queue_page(status: int = 200, *, errors: dict | None = None, form: dict | None = None):
    pending, _total = certificate_service.list_certificates(current_user, verification="pending", limit=50)
    return render_template(
        QUEUE_TEMPLATE,
        certificates=pending,
        holders=organization_names(c.organization_id for c in pending),
        certificate_labels=CERTIFICATE_LABELS,
        errors=errors or {},
        form=form or {},
    ), status


@bp.get("/department/certificates")
@login_required
def certificate_queue():
    officer_or_403()
    return _queue_page()


@bp.post("/department/certificates/<int:certificate_id>/verification")
@login_required
def certificate_verification(certificate_id: int):
    officer_or_403()
    state, note = request.form.get("state", ""), request.form.get("note", "")
    try:
        certificate = certificate_service.verify_certificate(current_user, certificate_id, state, note)
    except NotFound:
        abort(404)
    except ValidationError as error:
        messages = [translate(m) for m in error.errors.get("note", error.errors.get("state", [error.detail]))]
        return _queue_page(INVALID, errors={certificate_id: messages}, form={certificate_id: note})
    if state == "verified":
        flash(_("Certificate %(number)s is verified.", number=certificate.number), "success")
    else:
        flash(
            _("Certificate %(number)s is rejected; the producer sees your reason.", number=certificate.number),
            "success",
        )
    return redirect(url_for("traceability.certificate_queue"), code=303)


def _recalls_page(status: int = 200, *, error: str | None = None, form: dict | None = None):
    return render_template(
        RECALLS_TEMPLATE, recalls=recall_service.list_recalls(current_user), error=error, form=form or {}
    ), status


@bp.get("/department/recalls")
@login_required
def recall_list():
    officer_or_403()
    return _recalls_page()


@bp.post("/department/recalls")
@login_required
def recall_new():
    officer_or_403()
    form = {"code": request.form.get("code", "").strip().upper()[:64], "reason": request.form.get("reason", "")}
    try:
        result = recall_service.recall(current_user, form["code"], form["reason"])
    except (ValidationError, Conflict, PermissionDenied, NotFound) as error:
        return _recalls_page(INVALID, error=translate(error.detail), form=form)
    made_from = len(result.affected) - 1
    if made_from:
        flash(_("Lot %(code)s and %(count)s lots made from it are recalled.", code=result.batch_code, count=made_from))
    else:
        flash(_("Lot %(code)s is recalled.", code=result.batch_code), "success")
    return redirect(url_for("traceability.recall_list"), code=303)
