"""How often each batch's public trace page was opened, counted per day: no IP address, no visitor id."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db


class BatchScanDay(db.Model):
    """Trace-page views of one batch on one day (Vietnam's calendar day), as a bare counter."""

    __tablename__ = "batch_scan_days"
    __table_args__ = (UniqueConstraint("batch_id", "day"), CheckConstraint("count >= 0", name="count_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))
    day: Mapped[date]
    count: Mapped[int] = mapped_column(default=0)
