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
            # No worker (make run): the refund stays pending, and the reconciliation page shows it.
            current_app.logger.warning("refund %s not sent to Stripe yet: %s", refund_id, error)
            return "pending"
        raise self.retry(exc=error) from error


@shared_task(name="market.reconcile_card_payments", acks_late=True, ignore_result=False)
def reconcile_card_payments() -> int:
    """Compare the last days of card payments with Stripe's and flag what differs; the number flagged."""
    if not configured():
        return 0
    return len(reconciliation.reconcile(gateway=gateway()).flagged)
