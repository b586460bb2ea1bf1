"""Payment pages: the seller's bank account, the VietQR code of an order, and the seller's confirmation of payment."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.accounts.current import organization_or_404
from core.errors import DomainError, NotFound, ValidationError
from market.banks import NAPAS_BANKS
from market.services import bank_accounts, bank_transfers, payment_confirmations
from market.views import bp
from market.views.orders import flash_refusal

ACCOUNT_FIELDS = ("bank_bin", "account_number", "account_name")


def _account_form(organization, values: dict, errors: dict, status: int = 200):
    banks = sorted(((code, f"{name} ({code})") for code, name in NAPAS_BANKS.items()), key=lambda b: b[1].lower())
    page = render_template(
        "market/bank_account.html", organization=organization, values=values, errors=errors, banks=banks
    )
    return page, status


@bp.get("/bank-account")
@login_required
def bank_account():
    organization = organization_or_404()
    account = bank_accounts.bank_account(current_user, organization.id)
    values = {field: getattr(account, field) for field in ACCOUNT_FIELDS} if account else {}
    return _account_form(organization, values, {})


@bp.post("/bank-account")
@login_required
def bank_account_save():
    organization = organization_or_404()
    values = {field: request.form.get(field, "") for field in ACCOUNT_FIELDS}
    try:
        bank_accounts.set_bank_account(current_user, organization.id, **values)
    except ValidationError as error:
        return _account_form(organization, values, error.errors, status=error.status)
    flash(_("Bank account saved: buyers can now pay you by VietQR transfer."), "success")
    return redirect(url_for("market.bank_account"), code=303)


@bp.get("/orders/<order_id>/vietqr.png")
@login_required
def order_vietqr_png(order_id):
    png = bank_transfers.transfer_qr_png(current_user, order_id)
    return Response(png, mimetype=bank_transfers.CONTENT_TYPE, headers={"Cache-Control": "private, no-store"})


@bp.post("/orders/<order_id>/payments/confirm")
@login_required
def order_confirm_payment(order_id):
    try:
        payment_confirmations.confirm_payment(current_user, order_id, reference=request.form.get("reference"))
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        flash_refusal(error)
        return redirect(url_for("market.order_detail", order_id=order_id), code=303)
    flash(_("Payment confirmed: the order is paid."), "success")
    return redirect(url_for("market.order_detail", order_id=order_id), code=303)
