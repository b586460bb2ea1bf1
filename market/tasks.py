"""Marketplace tasks: order emails and card refunds (sent after the commit), and the beat jobs that expire lapsed
reservations and reconcile card payments with Stripe."""

from __future__ import annotations

import smtplib

from celery import shared_task
from flask import current_app

from market.payments.stripe_gateway import GatewayError, configured, gateway
from market.services import notifications, reconciliation, refunds, transitions


@shared_task(name="market.send_order_email", bind=True, max_retries=5, default_retry_delay=120)
def send_order_email(self, order_id: int, event: str) -> int:
    """Email the people of an order about ``event`` (placed, paid, accepted, shipped, delivered)."""
    try:
        return notifications.send_order_emails(order_id, event)
    except (smtplib.SMTPException, OSError) as error:
        if self.request.is_eager:
            # Run in the web process (no broker): an unreachable mail server must not fail the order.
            current_app.logger.warning("order email %s for order %s not sent: %s", event, order_id, error)
            return 0
        raise self.retry(exc=error) from error


@shared_task(name="market.release_expired_reservations", acks_late=True, ignore_result=False)
def release_expired_reservations() -> int:
    """Expire orders whose reservation lapsed and give their stock back (idempotent; beat sends it every minute)."""
    return transitions.expire_overdue()


@shared_task(name="market.submit_refund", bind=True, acks_late=True, max_retries=8, default_retry_delay=60)
def submit_refund(self, refund_id: int) -> str:
    """Send a recorded card refund to Stripe. Idempotent (the refund's own key at Stripe), so it may run again."""
    try:
        return refunds.submit(refund_id, gateway=gateway())
    except GatewayError as error:
        if self.request.is_eager:
            # No worker (make run): the refund stays pending; the beat job sends it again (resend_stuck_refunds).
            current_app.logger.warning("refund %s not sent to Stripe yet: %s", refund_id, error)
            return "pending"
        if self.request.retries >= self.max_retries:
            refunds.flag_unsent(refund_id, str(error))
        raise self.retry(exc=error) from error


@shared_task(name="market.cancel_payment_intent", bind=True, max_retries=5, default_retry_delay=60)
def cancel_payment_intent(self, payment_intent_id: str) -> str:
    """Cancel at Stripe the open attempt of an order that ended. Should it have succeeded meanwhile, its webhook
    refunds it (the order is over); Stripe refusing the cancel of a finished attempt is therefore not an error."""
    if not configured():
        return "not configured"
    try:
        return gateway().cancel(payment_intent_id).status
    except GatewayError as error:
        if error.code is None and not self.request.is_eager:
            raise self.retry(exc=error) from error
        current_app.logger.info("PaymentIntent %s not cancelled: %s", payment_intent_id, error)
        return "not cancelled"


@shared_task(name="market.resend_stuck_refunds", acks_late=True, ignore_result=False)
def resend_stuck_refunds() -> int:
    """Send again the card refunds Stripe never accepted (a lost task, a long outage); flag those that still fail."""
    if not configured():
        return 0
    sent = 0
    for refund_id in refunds.stuck_refunds():
        try:
            refunds.submit(refund_id, gateway=gateway())
            sent += 1
        except GatewayError as error:
            refunds.flag_unsent(refund_id, str(error))
    return sent


@shared_task(name="market.reconcile_card_payments", acks_late=True, ignore_result=False)
def reconcile_card_payments() -> int:
    """Compare the last days of card payments with Stripe's and flag what differs; the number flagged."""
    if not configured():
        return 0
    return len(reconciliation.reconcile(gateway=gateway()).flagged)
