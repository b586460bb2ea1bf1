"""``POST /webhooks/stripe``: Stripe's signed events, outside the bearer-token API (Stripe signs instead)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from core.errors import problem_response
from core.extensions import csrf
from market.payments.stripe_gateway import configured, gateway
from market.services.webhooks import BadSignature, receive_stripe_event

bp = Blueprint("stripe_webhooks", __name__)
csrf.exempt(bp)  # signed by Stripe with the webhook secret; no browser session is involved


@bp.post("/webhooks/stripe")
def stripe_webhook():
    if not configured():
        return problem_response(404, "Not found", "Card payments are not set up on this server.")
    try:
        outcome = receive_stripe_event(
            request.get_data(cache=False), request.headers.get("Stripe-Signature"), gateway=gateway()
        )
    except BadSignature as error:
        return problem_response(400, error.title, error.detail, code=error.code)
    return jsonify(received=True, outcome=outcome)
