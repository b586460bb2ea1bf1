"""The administrators' page of payment differences: what the webhooks and the daily reconciliation flagged."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.errors import NotFound, PermissionDenied
from market.payments.stripe_gateway import GatewayError, configured, gateway
from market.services import reconciliation
from market.services.describe import describe_flags
from market.views import bp

FLAG_NAMES = {
    "amount_mismatch": _l("Stripe took another amount or currency than the order's"),
    "paid_there_not_here": _l("Paid at Stripe, not paid here"),
    "paid_here_not_there": _l("Paid here, not paid at Stripe"),
    "unknown_payment": _l("A payment that names no order we know"),
    "refund_failed": _l("A refund failed: the buyer has not got the money back"),
    "late_payment": _l("Paid after the order ended (refunded automatically)"),
}

# What each side said, as the flag keeps it: amounts in đồng, the rest as words.
AMOUNT_LABELS = {
    "stripe_amount": _l("Stripe's amount"),
    "order_total": _l("The order's total"),
    "amount": _l("Amount"),
}
FACT_LABELS = {
    "stripe_currency": _l("Stripe's currency"),
    "order_currency": _l("The order's currency"),
    "currency": _l("Currency"),
    "stripe_status": _l("Status at Stripe"),
    "order_status": _l("The order's status"),
    "our_payment": _l("Our payment record"),
    "paid_by": _l("Paid by"),
    "reason": _l("Reason"),
}


def _for_page(flag: dict) -> dict:
    details = flag["details"]
    amounts = [(label, details[key]) for key, label in AMOUNT_LABELS.items() if isinstance(details.get(key), int)]
    facts = [(label, details[key]) for key, label in FACT_LABELS.items() if details.get(key) not in (None, "")]
    return {**flag, "amounts": amounts, "facts": facts}


@bp.get("/admin/payments")
@login_required
def payment_review():
    try:
        flags = reconciliation.open_flags(current_user, include_resolved=request.args.get("all") == "1")
    except PermissionDenied:
        abort(403)
    return render_template(
        "market/admin/payments.html",
        flags=[_for_page(flag) for flag in describe_flags(flags)],
        flag_names=FLAG_NAMES,
        can_reconcile=configured(),
    )


@bp.post("/admin/payments/<int:flag_id>/resolve")
@login_required
def payment_flag_resolve(flag_id: int):
    try:
        reconciliation.resolve_flag(current_user, flag_id, request.form.get("note"))
    except PermissionDenied:
        abort(403)
    except NotFound:
        abort(404)
    flash(_("Marked as dealt with."), "success")
    return redirect(url_for("market.payment_review"), code=303)


@bp.post("/admin/payments/reconcile")
@login_required
def payment_reconcile():
    if not current_user.is_admin:
        abort(403)
    try:
        result = reconciliation.reconcile(gateway=gateway())
    except GatewayError:
        flash(_("Stripe did not answer; nothing was compared. Try again later."), "error")
    else:
        flash(
            _(
                "%(compared)d card payments compared; %(flagged)d new difference(s).",
                compared=result.compared,
                flagged=len(result.flagged),
            ),
            "success",
        )
    return redirect(url_for("market.payment_review"), code=303)
