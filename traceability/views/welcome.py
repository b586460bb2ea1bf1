"""A new producer's first page: the three things to do first, each marked once it is done."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from core.accounts.current import organization_or_404
from traceability.services import batches
from traceability.services.plots import list_plots
from traceability.views import bp


@bp.get("/start")
@login_required
def first_steps():
    organization = organization_or_404()
    has_plot = list_plots(current_user, organization_id=organization.id, limit=1).total > 0
    _found, lots = batches.list_batches(current_user, custodian_id=organization.id, limit=1)
    return render_template("traceability/welcome.html", organization=organization, has_plot=has_plot, has_lot=lots > 0)
