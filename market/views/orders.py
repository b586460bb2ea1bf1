"""Order pages: the buyer's orders, the seller's sales, one order with its history and the buttons to move it."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.errors import DomainError, NotFound
from core.i18n import money, number, translate
from market.errors import LotNotSaleableError
from market.pricing import MAX_AMOUNT
from market.services import orders, refunds, transitions
from market.services.card_payments import DECLINED_NOTE
from market.services.describe import describe_orders
from market.services.transitions import LAPSED_NOTE
from market.services.webhooks import FAILED_NOTE, LATE_NOTE, PAID_NOTE
from market.views import bp, page_number, whole_dong

PER_PAGE = 20
STATUS_NAMES = {
    "pending_payment": _l("Waiting for the seller"),
    "paid": _l("Paid"),
    "accepted": _l("Accepted"),
    "shipped": _l("Shipped"),
    "delivered": _l("Delivered"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
    "expired": _l("Expired"),
    "refunded": _l("Refunded"),
    "partially_refunded": _l("Partly refunded"),
}
PAYMENT_STATE_NAMES = {
    "pending": _l("not paid yet"),
    "processing": _l("being processed by the bank"),
    "confirmed": _l("received"),
    "failed": _l("failed; nothing was charged"),
}
REFUND_REASON_NAMES = (
    ("damaged", _l("Goods damaged")),
    ("quality", _l("Quality not as described")),
    ("short_delivery", _l("Less delivered than ordered")),
    ("late", _l("Delivered late")),
    ("goodwill", _l("Goodwill")),
    ("other", _l("Other")),
)
# The platform's own notes in an order's history, in the reader's language (people's notes are shown as typed).
SYSTEM_NOTES = {
    PAID_NOTE: _l("Paid by card."),
    DECLINED_NOTE: _l("The card was declined."),
    FAILED_NOTE: _l("The card payment failed."),
    LATE_NOTE: _l("The card payment arrived after the order had ended; it is refunded."),
    LAPSED_NOTE: _l("The reservation lapsed."),
}
# What the button that moves an order to each status says.
ACTION_NAMES = {
    "paid": _l("Confirm the money was received"),
    "accepted": _l("Accept the order"),
    "shipped": _l("Mark as shipped"),
    "delivered": _l("Confirm delivery"),
    "completed": _l("Complete the order"),
    "cancelled": _l("Cancel the order"),
    "refunded": _l("Refund in full"),
    "partially_refunded": _l("Refund part"),
}


def lot_problem(error: LotNotSaleableError) -> str:
    """What changed in the lot behind an order or listing, in the reader's language."""
    lot, problem = error.extra["lot"], error.extra["problem"]
    if problem == "recalled":
        return _("Lot %(lot)s was recalled; nothing of it can be sold.", lot=lot)
    if problem == "short":
        return _(
            "Lot %(lot)s has only %(left)s kg left; this order needs %(needed)s kg of it.",
            lot=lot,
            left=number(Decimal(error.extra["left"])),
            needed=number(Decimal(error.extra["needed"])),
        )
    if problem == "not_held":
        return _("Lot %(lot)s is no longer held by the seller.", lot=lot)
    return _("Nothing is left of lot %(lot)s.", lot=lot)


def _list(role: str, template: str):
    page = page_number()
    found, total = orders.list_orders(current_user, role=role, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    return render_template(
        template,
        orders=describe_orders(found, current_user),
        total=total,
        page=page,
        per_page=PER_PAGE,
        status_names=STATUS_NAMES,
    )


@bp.get("/orders")
@login_required
def my_orders():
    return _list("buyer", "market/orders.html")


@bp.get("/sales")
@login_required
def sales():
    return _list("seller", "market/sales.html")


@bp.get("/orders/<order_id>")
@login_required
def order_detail(order_id):
    try:
        order, _roles = orders.visible_order(current_user, order_id)
    except NotFound:
        return render_template(
            "errors/error.html", status=404, title=_("Page not found"), message=_("We could not find this order.")
        ), 404
    described = describe_orders([order], current_user)[0]
    instructions = described["payment_instructions"]
    # The buyer pays by scanning: the code is there only while the transfer is due (none once paid or cancelled).
    transfer = instructions if instructions.get("vietqr_image_url") and "buyer" in described["roles"] else None
    return render_template(
        "market/order.html",
        order=described,
        transfer=transfer,
        status_names=STATUS_NAMES,
        action_names=ACTION_NAMES,
        payment_state_names=PAYMENT_STATE_NAMES,
        refund_reasons=REFUND_REASON_NAMES,
        system_notes=SYSTEM_NOTES,
    )


def _refused(order_id: str, error: DomainError):
    """Back to the order with the reason a move or refund was refused, in the reader's language."""
    if isinstance(error, NotFound):
        raise error
    flash_refusal(error)
    return redirect(url_for("market.order_detail", order_id=order_id), code=303)


@bp.post("/orders/<order_id>/refunds")
@login_required
def order_refund(order_id):
    form = request.form
    amount = whole_dong(form.get("amount"))
    if (form.get("amount") or "").strip() and not amount:
        flash(_("Enter the amount in whole đồng, at most %(amount)s.", amount=money(MAX_AMOUNT)), "error")
        return redirect(url_for("market.order_detail", order_id=order_id), code=303)
    try:
        order = refunds.refund_order(
            current_user,
            order_id,
            amount=amount,
            reason_code=form.get("reason_code") or "other",
            reason=(form.get("reason") or "").strip()[:1000] or None,
            reference=form.get("reference"),
        )
    except DomainError as error:
        return _refused(order_id, error)
    flash(_("Refunded: %(amount)s.", amount=money(order.refunded_amount)), "success")
    return redirect(url_for("market.order_detail", order_id=order_id), code=303)


@bp.post("/orders/<order_id>/transitions")
@login_required
def order_transition(order_id):
    form = request.form
    amount = whole_dong(form.get("amount"))
    if (form.get("amount") or "").strip() and amount is None:
        flash(_("Enter the amount in whole đồng, at most %(amount)s.", amount=money(MAX_AMOUNT)), "error")
        return redirect(url_for("market.order_detail", order_id=order_id), code=303)
    try:
        transitions.transition(
            current_user,
            order_id,
            form.get("to", ""),
            amount=amount,
            reason=form.get("reason") or None,
            note=form.get("note") or None,
        )
    except DomainError as error:
        return _refused(order_id, error)
    flash(_("Order updated: %(status)s.", status=STATUS_NAMES.get(form.get("to", ""), form.get("to", ""))), "success")
    return redirect(url_for("market.order_detail", order_id=order_id), code=303)


def flash_refusal(error: DomainError) -> None:
    """Why a move of the order was refused, in the reader's language, for the order page shown next."""
    current = error.extra.get("current_status")
    if isinstance(error, LotNotSaleableError):
        flash(lot_problem(error), "error")
    elif current:
        flash(
            _(
                "This order is now “%(status)s”; that step is no longer possible.",
                status=STATUS_NAMES.get(current, current),
            ),
            "error",
        )
    else:
        flash(
            " ".join(translate(m) for messages in error.errors.values() for m in messages) or translate(error.detail),
            "error",
        )
