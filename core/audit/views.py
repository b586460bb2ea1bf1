"""The audit log as a page for department officers: newest first, a page at a time, one action or all."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from core.accounts.current import officer_or_403
from core.audit.services import action_labels, list_entries
from core.openapi import MAX_PAGE

bp = Blueprint("audit", __name__)

PER_PAGE = 50


@bp.get("/department/audit-log")
@login_required
def log():
    officer_or_403()
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    labels = action_labels()
    action = request.args.get("action") if request.args.get("action") in labels else None
    found = list_entries(current_user, action=action, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    return render_template(
        "core/audit/log.html", found=found, labels=labels, action=action, page=page, per_page=PER_PAGE
    )
