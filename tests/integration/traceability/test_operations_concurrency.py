"""Concurrent splits of one lot never take more than it holds."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from core.accounts.models import User
from core.extensions import db
from tests.traceability_builders import BatchWorld
from traceability.errors import BatchNotActiveError, MassBalanceError
from traceability.models import Batch
from traceability.services import operations


def split_concurrently(app, world, code: str, threads: int, part: Decimal) -> list[str]:
    """``threads`` requests each splitting ``part`` off ``code`` at the same moment; the outcome of each."""
    barrier = threading.Barrier(threads)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt():
        with app.app_context():
            try:
                user = db.session.get(User, world.an_user)
                db.session.commit()  # end the read so every thread starts its split together
                barrier.wait(timeout=30)
                operations.split(user, code, parts=[{"quantity": part}])
                outcome = "split"
            except (MassBalanceError, BatchNotActiveError):  # too little left, or nothing left at all
                outcome = "refused"
            except Exception as error:
                outcome = f"error: {error!r}"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    workers = [threading.Thread(target=attempt) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return outcomes


def remaining(app, code: str) -> Decimal:
    with app.app_context():
        try:
            return db.session.scalar(db.select(Batch.quantity_remaining).where(Batch.code == code))
        finally:
            db.session.remove()


@pytest.mark.postgres
def test_twenty_concurrent_splits_never_take_more_than_the_lot_holds(app):
    world = BatchWorld(app)
    code = world.harvest("an", "1000")
    outcomes = split_concurrently(app, world, code, threads=20, part=Decimal(150))
    assert len(outcomes) == 20 and not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("split") == 6  # 6 × 150 = 900 ≤ 1000 < 7 × 150
    assert outcomes.count("split") * 150 <= 1000
    assert remaining(app, code) == Decimal(100)


def test_a_few_concurrent_splits_are_serialized(app):
    """On SQLite BEGIN IMMEDIATE serializes the writers; on PostgreSQL the row lock does."""
    world = BatchWorld(app)
    code = world.harvest("an", "300")
    outcomes = split_concurrently(app, world, code, threads=5, part=Decimal(100))
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("split") == 3 and outcomes.count("refused") == 2
    assert remaining(app, code) == Decimal(0)
