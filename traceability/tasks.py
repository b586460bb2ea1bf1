"""Celery tasks of traceability. Each takes ids, loads, calls a service and returns.

They are sent by name after the sending transaction commits
(``core.tasks.send_task("traceability.render_label_sheet", job_id)``), so no
service imports this module.
"""

from __future__ import annotations

from datetime import date

from celery import shared_task

from traceability.epcis import capture
from traceability.services import integrity, labels, scans


# Idempotent (a rerun redraws the same file under the same key), so a worker that dies
# mid-sheet may have the task delivered again: acknowledge late, and put the message back
# when the process running it is killed (Celery would otherwise acknowledge it as failed).
@shared_task(name="traceability.render_label_sheet", acks_late=True, reject_on_worker_lost=True)
def render_label_sheet(job_id: int) -> None:
    labels.render_label_job(job_id)


# Counting is not idempotent (a redelivered task would count a view twice), so the
# task is acknowledged early: a lost view is better than an invented one.
@shared_task(name="traceability.record_scan")
def record_scan(batch_id: int, day: str) -> None:
    """One view (the message of releases before views were sent together; kept for messages still queued)."""
    scans.record_scan(batch_id, date.fromisoformat(day))


@shared_task(name="traceability.record_scans")
def record_scans(counts: list[list]) -> None:
    """Views a web process added up: [[batch id, "YYYY-MM-DD", views], ...]."""
    scans.record_scans({(int(batch_id), date.fromisoformat(day)): int(views) for batch_id, day, views in counts})


@shared_task(name="traceability.audit_ledger")
def audit_ledger() -> None:
    """The full re-verification of every event's hash and link (see integrity.audit_ledger)."""
    integrity.audit_ledger()


# Idempotent: the whole document is applied in one transaction that also marks the job
# finished, and a finished job is never applied again; a worker that dies mid-document
# leaves nothing behind, so the redelivered task (acknowledged late, put back when its
# process is killed) starts clean.
@shared_task(name="traceability.capture_epcis", acks_late=True, reject_on_worker_lost=True)
def capture_epcis(job_id: int) -> None:
    capture.apply_capture(job_id)
