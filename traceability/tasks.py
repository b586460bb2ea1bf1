"""Celery tasks of traceability. Each takes ids, loads, calls a service and returns.

They are sent by name after the sending transaction commits
(``core.tasks.send_task("traceability.render_label_sheet", job_id)``), so no
service imports this module.
"""

from __future__ import annotations

from celery import shared_task

from traceability.services import labels


# Idempotent (a rerun redraws the same file under the same key), so a worker that dies
# mid-sheet may have the task delivered again: acknowledge late.
@shared_task(name="traceability.render_label_sheet", acks_late=True)
def render_label_sheet(job_id: int) -> None:
    labels.render_label_job(job_id)
