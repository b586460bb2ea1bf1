"""Recalls: a lot declared unsafe or unfit, and every lot made from it marked with it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db


class Recall(db.Model):
    """A recall of ``batch`` (the lot it started from) with its reason, who declared it and when."""

    __tablename__ = "recalls"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The organization that declared it: the lot's custodian, or the department.
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class RecalledBatch(db.Model):
    """One lot a recall reached (the recalled lot itself and each lot made from it), with its recall event."""

    __tablename__ = "recalled_batches"
    __table_args__ = (UniqueConstraint("recall_id", "batch_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recall_id: Mapped[int] = mapped_column(ForeignKey("recalls.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
