"""Money pages: what the platform owes a producer and how it came about; the administrators' payouts."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.accounts.current import admin_or_403, organization_or_404
from core.errors import DomainError
from core.i18n import money
from market.services import ledger
from market.views import bp, page_number, whole_dong

PER_PAGE = 30
KIND_NAMES = {
    "sale": _l("Sale"),
    "refund": _l("Refund"),
    "refund_reversed": _l("Refund failed, money back"),
    "payout": _l("Paid to you by bank transfer"),
}


def _owed_sentence(balance: int) -> str:
    """The balance said plainly: who owes whom, and how much."""
    if balance > 0:
        return _(
            "The platform owes you %(amount)s; it is paid to your bank account by transfer.", amount=money(balance)
        )
    if balance < 0:
        return _(
            "You owe the platform %(amount)s in fees for sales paid to you directly (cash, bank transfers).",
            amount=money(-balance),
        )
    return _("Nothing is owed either way.")


@bp.get("/payouts")
@login_required
def payouts():
    organization = organization_or_404()
    page = page_number()
    statement = ledger.statement(current_user, organization.id)
    found, total = ledger.entries(current_user, organization.id, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    return render_template(
        "market/payouts.html",
        statement=statement,
        owed=_owed_sentence(statement.balance),
        entries=found,
        total=total,
        page=page,
        per_page=PER_PAGE,
        kind_names=KIND_NAMES,
    )


def _admin_page(form: dict, errors: dict, status: int = 200):
    page = page_number()
    producers, total = ledger.balances(current_user, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    options = [(str(p["organization_id"]), f"{p['organization_name']} · {money(p['balance'])}") for p in producers]
    return render_template(
        "market/admin_payouts.html",
        producers=producers,
        options=options,
        total=total,
        page=page,
        per_page=PER_PAGE,
        form=form,
        errors=errors,
    ), status


@bp.get("/admin/payouts")
@login_required
def admin_payouts():
    admin_or_403()
    return _admin_page({"organization_id": request.args.get("organization_id", "")}, {})


@bp.post("/admin/payouts")
@login_required
def record_payout():
    admin_or_403()
    form = request.form
    organization_id = int(form["organization_id"]) if form.get("organization_id", "").isdigit() else 0
    try:
        _payout, left = ledger.record_payout(
            current_user,
            organization_id,
            whole_dong(form.get("amount"), default=0),
            form.get("bank_reference"),
            form.get("note"),
        )
    except DomainError as error:
        errors = {**error.errors, "form": [] if error.errors else [error.detail]}
        return _admin_page(form.to_dict(), errors, 422)
    flash(_("Payout recorded. The platform still owes this producer %(amount)s.", amount=money(left)), "success")
    return redirect(url_for("market.admin_payouts"), code=303)
