"""Marketplace tasks: order emails (sent after the commit) and the beat job that expires lapsed reservations."""

from __future__ import annotations

import smtplib

from celery import shared_task
from flask import current_app

from market.services import notifications, transitions


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
