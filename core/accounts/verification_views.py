"""The department's queue of organizations to verify, as a page (officers also have the API).

An officer opens it from the menu, sees who signed up and is not verified yet, oldest first, and verifies
or withdraws a verification with one button each. The service checks the officer's role again.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.accounts import services
from core.accounts.current import officer_or_403
from core.accounts.forms import KIND_LABELS
from core.accounts.views import organization_address
from core.errors import NotFound

bp = Blueprint("department", __name__)


@bp.get("/department/organizations")
@login_required
def organizations():
    officer_or_403()
    waiting, verified = services.verification_queue(current_user)
    return render_template(
        "core/accounts/verification_queue.html",
        waiting=waiting,
        verified=verified,
        kind_labels=KIND_LABELS,
        address_of=organization_address,
    )


@bp.post("/department/organizations/<int:organization_id>/verification")
@login_required
def verification(organization_id: int):
    officer_or_403()
    decision = request.form.get("decision")
    if decision not in ("verify", "withdraw"):
        abort(400)
    try:
        organization = services.set_verification(current_user, organization_id, decision == "verify")
    except NotFound:
        abort(404)
    if decision == "verify":
        flash(_("%(name)s is verified.", name=organization.name), "success")
    else:
        flash(_("The verification of %(name)s was withdrawn.", name=organization.name), "success")
    return redirect(url_for("department.organizations"), code=303)
