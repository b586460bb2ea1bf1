"""``POST /webhooks/bank``: a bank's or aggregator's signed notification of a transfer to a seller's account.

Off (404) while ``BANK_WEBHOOK_SECRET`` is empty: an unsigned endpoint that marks orders paid is worse than none.
Its own blueprint, exempt from CSRF: the caller is a bank's server, not a browser form, and the HMAC signature is
what authenticates it.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request

from core.extensions import csrf
from market.services import bank_notifications

bp = Blueprint("bank_webhooks", __name__, url_prefix="/webhooks")
csrf.exempt(bp)


@bp.post("/bank")
def bank_notification():
    secret = current_app.config.get("BANK_WEBHOOK_SECRET") or ""
    if not secret:
        abort(404)
    try:
        outcome = bank_notifications.receive_notification(
            request.get_data(cache=False), request.headers.get("X-Signature"), secret
        )
    except bank_notifications.NotificationRefused as error:
        return jsonify(error=error.code, detail=error.detail), 400
    return jsonify(outcome=outcome)
