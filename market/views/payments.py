"""The card payment page: Stripe's Card Element, our server charging the order, and the result as it comes."""

from __future__ import annotations

from flask import jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.errors import DomainError, NotFound
from core.i18n import translate
from market.payments.stripe_gateway import gateway
from market.services import card_payments, orders
from market.services.describe import describe_orders
from market.views import bp
from market.views.orders import STATUS_NAMES


def _not_found():
    return render_template(
        "errors/error.html", status=404, title=_("Page not found"), message=_("We could not find this order.")
    ), 404


@bp.get("/orders/<order_id>/pay")
@login_required
def order_pay(order_id):
    try:
        order, roles = orders.visible_order(current_user, order_id)
    except NotFound:
        return _not_found()
    described = describe_orders([order], current_user)[0]
    if order.payment_method != "card" or "buyer" not in roles or not described["payment_instructions"]["amount_due"]:
        return redirect(url_for("market.order_detail", order_id=order_id), code=303)
    return render_template("market/pay.html", order=described, status_names=STATUS_NAMES)


@bp.post("/orders/<order_id>/pay/card")
@login_required
def order_pay_card(order_id):
    """The page's script sends the payment method Stripe.js made; JSON back (CSRF in the X-CSRFToken header)."""
    payload = request.get_json(silent=True) or {}
    try:
        attempt = card_payments.pay_by_card(
            current_user, order_id, payload.get("payment_method") or "", gateway=gateway()
        )
    except DomainError as error:
        message = " ".join(translate(m) for messages in error.errors.values() for m in messages)
        return jsonify(code=error.code, message=message or translate(error.detail)), error.status
    return jsonify(
        payment_intent_id=attempt.payment_intent_id, status=attempt.status, client_secret=attempt.client_secret
    )


@bp.get("/orders/<order_id>/payment-status")
@login_required
def order_payment_status(order_id):
    """What the page waits for after paying: Stripe's webhook makes the order paid a moment later."""
    try:
        order, _roles = orders.visible_order(current_user, order_id)
    except NotFound:
        return jsonify(code="order_not_found"), 404
    described = describe_orders([order], current_user)[0]
    return jsonify(
        status=order.status.value,
        status_name=str(STATUS_NAMES.get(order.status.value, order.status.value)),
        payment=described["payment_instructions"].get("status"),
        order_url=url_for("market.order_detail", order_id=order_id),
    )
