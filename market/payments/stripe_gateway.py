"""Stripe, behind the few calls the marketplace makes: the one module that imports ``stripe``.

Services get a ``StripeGateway`` passed in (``gateway()`` builds the configured
one) and see plain dataclasses, never Stripe's objects: the tests drive the same
code against localstripe, and nothing outside this module knows the SDK's shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import stripe
from flask import current_app


class GatewayError(Exception):
    """Stripe could not be reached or refused the request for a reason that is not the buyer's card."""

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.code = code


class UnknownPaymentMethod(Exception):
    """Stripe knows no such payment method (or not for this account): the request is wrong, the card untouched."""


class SignatureError(Exception):
    """A webhook whose signature does not match the payload and our secret (or is too old)."""


@dataclass(frozen=True)
class Intent:
    """A PaymentIntent as our services need it."""

    id: str
    status: str  # succeeded, processing, requires_action, requires_payment_method, canceled, ...
    amount: int
    currency: str  # upper case, ISO 4217
    client_secret: str | None
    metadata: dict
    created: int | None = None
    error_code: str | None = None
    error_message: str | None = None


class CardDeclined(Exception):
    """The card was refused (declined, insufficient funds, ...): the buyer's problem, not ours."""

    def __init__(self, code: str, message: str, payment_intent_id: str | None):
        super().__init__(message)
        self.code, self.message, self.payment_intent_id = code, message, payment_intent_id


@dataclass(frozen=True)
class RefundResult:
    id: str
    status: str  # pending, succeeded, failed, canceled
    amount: int
    payment_intent_id: str | None
    failure_reason: str | None = None


def _intent(obj) -> Intent:
    data = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    error = data.get("last_payment_error") or {}
    return Intent(
        id=data["id"],
        status=data.get("status") or "",
        amount=int(data.get("amount") or 0),
        currency=(data.get("currency") or "").upper(),
        client_secret=data.get("client_secret"),
        metadata=dict(data.get("metadata") or {}),
        created=data.get("created"),
        error_code=error.get("decline_code") or error.get("code"),
        error_message=error.get("message"),
    )


def _refund(obj) -> RefundResult:
    data = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    return RefundResult(
        id=data["id"],
        status=data.get("status") or "",
        amount=int(data.get("amount") or 0),
        payment_intent_id=data.get("payment_intent"),
        failure_reason=data.get("failure_reason"),
    )


class StripeGateway:
    def __init__(self, secret_key: str, *, api_base: str | None = None, webhook_secret: str = "", tolerance: int = 300):
        base = {"api": api_base} if api_base else None
        # Stripe's SDK retries network failures of idempotent requests itself; every write here carries a key.
        self._client = stripe.StripeClient(secret_key, base_addresses=base, max_network_retries=2)
        self._webhook_secret = webhook_secret
        self._tolerance = tolerance

    def pay(
        self, *, amount: int, currency: str, payment_method: str, idempotency_key: str, metadata: dict[str, str]
    ) -> Intent:
        """Create and confirm a card PaymentIntent; ``CardDeclined`` when the card is refused."""
        params = {
            "amount": amount,
            "currency": currency.lower(),
            "payment_method": payment_method,
            "payment_method_types": ["card"],
            "confirm": True,
            "metadata": metadata,
        }
        try:
            return _intent(
                self._client.v1.payment_intents.create(params=params, options={"idempotency_key": idempotency_key})
            )
        except stripe.CardError as error:
            body = error.json_body or {}
            details = body.get("error") or {}
            intent = details.get("payment_intent") or {}
            raise CardDeclined(
                code=details.get("decline_code") or error.code or "card_declined",
                message=error.user_message or str(error),
                payment_intent_id=intent.get("id") if isinstance(intent, dict) else None,
            ) from None
        except stripe.InvalidRequestError as error:
            if error.param == "payment_method" or error.code == "resource_missing" or error.http_status == 404:
                # A payment method the browser made up, or one of another account: nothing was charged.
                raise UnknownPaymentMethod(str(error)) from None
            raise GatewayError(str(error), code=error.code) from error
        except stripe.StripeError as error:
            raise GatewayError(str(error), code=getattr(error, "code", None)) from error

    def retrieve(self, payment_intent_id: str) -> Intent:
        try:
            return _intent(self._client.v1.payment_intents.retrieve(payment_intent_id))
        except stripe.StripeError as error:
            raise GatewayError(str(error), code=getattr(error, "code", None)) from error

    def cancel(self, payment_intent_id: str) -> Intent:
        try:
            return _intent(self._client.v1.payment_intents.cancel(payment_intent_id))
        except stripe.StripeError as error:
            raise GatewayError(str(error), code=getattr(error, "code", None)) from error

    def intents_since(self, since: datetime, *, limit: int = 5000) -> list[Intent]:
        """PaymentIntents created since ``since`` (for reconciliation).

        No ``created`` filter is sent (localstripe refuses it): older ones are skipped as the pages are read, up
        to ``limit`` read in all.
        """
        cutoff = int(since.timestamp())
        try:
            found = []
            for read, obj in enumerate(self._client.v1.payment_intents.list(params={"limit": 100}).auto_paging_iter()):
                if read >= limit:
                    break
                intent = _intent(obj)
                if intent.created is None or intent.created >= cutoff:
                    found.append(intent)
            return found
        except stripe.StripeError as error:
            raise GatewayError(str(error), code=getattr(error, "code", None)) from error

    def refund(
        self, *, payment_intent_id: str, amount: int, idempotency_key: str, metadata: dict[str, str]
    ) -> RefundResult:
        params = {"payment_intent": payment_intent_id, "amount": amount, "metadata": metadata}
        try:
            return _refund(self._client.v1.refunds.create(params=params, options={"idempotency_key": idempotency_key}))
        except stripe.StripeError as error:
            raise GatewayError(str(error), code=getattr(error, "code", None)) from error

    def event(self, payload: bytes, signature: str | None) -> dict:
        """The event in ``payload`` as a dict, once its signature is verified against our secret and tolerance."""
        if not signature or not self._webhook_secret:
            raise SignatureError("missing Stripe-Signature header" if not signature else "no webhook secret set")
        try:
            event = self._client.construct_event(payload, signature, self._webhook_secret, tolerance=self._tolerance)
        except (stripe.SignatureVerificationError, ValueError) as error:
            raise SignatureError(str(error)) from None
        return event.to_dict()


def configured() -> bool:
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def gateway() -> StripeGateway:
    """The gateway of the app's settings (one per app: its HTTP client keeps connections)."""
    found = current_app.extensions.get("nongsan.stripe")
    if found is None:
        config = current_app.config
        found = StripeGateway(
            config["STRIPE_SECRET_KEY"],
            api_base=config.get("STRIPE_API_BASE") or None,
            webhook_secret=config.get("STRIPE_WEBHOOK_SECRET", ""),
            tolerance=int(config.get("STRIPE_WEBHOOK_TOLERANCE", 300)),
        )
        current_app.extensions["nongsan.stripe"] = found
    return found
