"""Celery wired into the app factory, and the one way services send tasks.

Services send tasks by name, after their transaction commits, so that a worker
never looks for a row that is not there yet and no service imports a tasks module.
With no broker configured (``make run``) tasks run eagerly in the web process.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask


def init_celery(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def send_task(name: str, *args: Any, **kwargs: Any) -> None:
    """Send task ``name``. Call it after ``db.session.commit()``, never inside a transaction.

    Eagerly (no broker) the task runs here, in this process, before this returns.
    """
    from flask import current_app

    celery_app: Celery = current_app.extensions["celery"]
    if celery_app.conf.task_always_eager:
        task = celery_app.tasks[name]
        task.apply(args=args, kwargs=kwargs)
    else:
        celery_app.send_task(name, args=args, kwargs=kwargs)
