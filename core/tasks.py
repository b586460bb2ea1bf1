"""Celery wired into the app factory, and the one way services send tasks.

Services send tasks by name, after their transaction commits, so that a worker
never looks for a row that is not there yet and no service imports a tasks module.

Two ways to run:

- With a broker (``CELERY_BROKER_URL``, production): ``send_task`` queues the task
  and a worker (``make worker``: ``celery -A wsgi:celery_app worker --beat``) runs it.
  The worker builds the same app through ``wsgi.py``, so it imports the same task
  modules and runs every task inside an app context.
- With no broker (``make run``, ``NONGSAN_ENV=development`` without
  ``CELERY_BROKER_URL``, and the tests): ``task_always_eager`` is on and a task runs
  in the web process, inside ``send_task``, before it returns. Periodic tasks do not
  run then (there is no beat); call them with ``send_task`` if needed.

Work that must not be lost when the broker is down is queued with
``core.outbox.queue_task`` in the service's own transaction and sent with
``core.outbox.send_queued`` after the commit (see core/outbox.py). ``send_task``
publishes at once; should the broker refuse, the message is kept in the outbox in
a transaction of its own and the drain sends it later, so a broker outage never
fails a request whose work is already committed.

Each domain registers its task module (and its periodic jobs) from its
``init_app`` with ``register_tasks``, because core imports no domain package.
A module declares its tasks with ``@shared_task(name="domain.task_name")``;
importing it registers them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from celery import Celery, Task
from celery.result import AsyncResult, EagerResult
from flask import Flask

# Housekeeping that keeps tables from growing without bound (see core/maintenance.py).
BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "purge-login-failures": {"task": "core.purge_login_failures", "schedule": 15 * 60.0},
    "purge-idempotency-records": {"task": "core.purge_idempotency_records", "schedule": 60 * 60.0},
    # What a broker outage left in the outbox goes out once the broker answers again.
    "send-outbox": {"task": "core.send_outbox", "schedule": 60.0},
}

# Publishing gives up within about a second when the broker is down (kombu's default retries for longer):
# the outbox keeps the message, and a web request must not hang on a broker that is gone.
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.3, "interval_max": 0.3}


def init_celery(app: Flask, task_modules: Iterable[str] = ()) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    modules = tuple(dict.fromkeys(("core.maintenance", "core.outbox", *task_modules)))
    # The worker imports ``imports`` at start-up; importing them here as well registers
    # the tasks in this process, which eager mode and the beat schedule's check need.
    celery_app.conf.imports = modules
    for module in modules:
        importlib.import_module(module)
    celery_app.conf.beat_schedule = dict(BEAT_SCHEDULE)
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def register_tasks(app: Flask, module: str, beat: dict[str, dict[str, Any]] | None = None) -> None:
    """Import the task module ``module`` in this process and the worker's, and add its periodic jobs to beat."""
    celery_app: Celery = app.extensions["celery"]
    if module not in celery_app.conf.imports:
        celery_app.conf.imports = (*celery_app.conf.imports, module)
    importlib.import_module(module)
    celery_app.conf.beat_schedule = {**celery_app.conf.beat_schedule, **(beat or {})}


def send_task(name: str, *args: Any, **kwargs: Any) -> AsyncResult | EagerResult | None:
    """Send task ``name``. Call it after ``db.session.commit()``, never inside a transaction.

    Eagerly (no broker) the task runs here, in this process, before this returns.
    The result is only kept where a result backend is configured and the task does
    not ignore results; callers normally drop it.
    """
    from flask import current_app

    celery_app: Celery = current_app.extensions["celery"]
    if celery_app.conf.task_always_eager:
        return run_eagerly(name, args, kwargs)
    try:
        return publish(name, args, kwargs)
    except Exception as exc:  # kombu and redis raise many kinds; each means "the broker did not take it"
        from core.outbox import keep_unsent

        current_app.logger.warning("broker refused task %s; kept in the outbox", name, exc_info=True)
        keep_unsent(name, list(args), dict(kwargs), exc)
        return None


def publish(name: str, args: Any, kwargs: Any) -> AsyncResult:
    """Hand task ``name`` to the broker; raises when the broker does not take it within about a second."""
    from flask import current_app

    celery_app: Celery = current_app.extensions["celery"]
    return celery_app.send_task(
        name, args=list(args), kwargs=dict(kwargs), retry=True, retry_policy=PUBLISH_RETRY_POLICY
    )


def run_eagerly(name: str, args: Any, kwargs: Any) -> EagerResult:
    """Run task ``name`` here, now (no broker configured)."""
    from flask import current_app

    celery_app: Celery = current_app.extensions["celery"]
    return celery_app.tasks[name].apply(args=list(args), kwargs=dict(kwargs))
