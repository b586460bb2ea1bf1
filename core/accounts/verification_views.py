"""The department's review of organizations, as pages (officers also have the API).

An officer opens the queue from the menu: who signed up or answered a rejection and waits for review, oldest
first, then the latest rejected and verified ones. The review page shows an organization with the documents
its domains hold for it (certificates and their photos) and what was decided before; the officer verifies it,
rejects it with a reason its people see, or withdraws a verification. The services check the role again.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.accounts import services
from core.accounts.current import officer_or_403
from core.accounts.forms import KIND_LABELS
from core.accounts.views import organization_address
from core.audit import action_labels
from core.errors import NotFound, ValidationError
from core.i18n import translate

bp = Blueprint("department", __name__)

INVALID = 422
DECISIONS = ("verify", "reject", "withdraw")


@bp.get("/department/organizations")
@login_required
def organizations():
    officer_or_403()
    queue = services.verification_queue(current_user)
    return render_template(
        "core/accounts/verification_queue.html", queue=queue, kind_labels=KIND_LABELS, address_of=organization_address
    )


def _review_page(organization_id: int, status: int = 200, *, errors: list[str] | None = None, reason: str = ""):
    try:
        review = services.organization_review(current_user, organization_id)
    except NotFound:
        abort(404)
    page = render_template(
        "core/accounts/organization_review.html",
        review=review,
        organization=review.organization,
        kind_labels=KIND_LABELS,
        action_labels=action_labels(),
        address=organization_address(review.organization),
        errors=errors or [],
        reason=reason,
    )
    return page, status


@bp.get("/department/organizations/<int:organization_id>")
@login_required
def organization_review(organization_id: int):
    officer_or_403()
    return _review_page(organization_id)


@bp.post("/department/organizations/<int:organization_id>/verification")
@login_required
def verification(organization_id: int):
    officer_or_403()
    decision, reason = request.form.get("decision"), request.form.get("reason", "")
    if decision not in DECISIONS:
        abort(400)
    try:
        if decision == "verify":
            organization = services.verify_organization(current_user, organization_id)
        elif decision == "reject":
            organization = services.reject_organization(current_user, organization_id, reason)
        else:
            organization = services.withdraw_verification(current_user, organization_id, reason)
    except NotFound:
        abort(404)
    except ValidationError as error:
        errors = [translate(message) for message in error.errors.get("reason", [error.detail])]
        return _review_page(organization_id, INVALID, errors=errors, reason=reason[:2000])
    flash(_decided(decision, organization.name), "success")
    return redirect(url_for("department.organizations"), code=303)


def _decided(decision: str, name: str) -> str:
    if decision == "verify":
        return _("%(name)s is verified.", name=name)
    if decision == "reject":
        return _("%(name)s is rejected; its people see your reason.", name=name)
    return _("The verification of %(name)s was withdrawn.", name=name)
