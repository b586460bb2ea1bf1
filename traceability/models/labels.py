"""Label sheets being made: a PDF of QR labels for the bags of a batch, rendered in the request or by a worker."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db
from traceability.models._types import Quantity, enum_column


class LabelJobStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for a worker
    RUNNING = "running"
    DONE = "done"  # the PDF is in file storage under file_key
    FAILED = "failed"


class LabelFormat(enum.StrEnum):
    A4 = "a4"  # A4 sheets of 3 × 8 labels (70 × 37 mm)
    THERMAL = "thermal"  # one 100 × 150 mm thermal label per page


class LabelJob(db.Model):
    __tablename__ = "label_jobs"
    __table_args__ = (
        CheckConstraint("label_count > 0", name="count_positive"),
        CheckConstraint("progress >= 0 AND progress <= label_count", name="progress_within_count"),
        CheckConstraint("net_weight_kg > 0", name="net_weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, in URLs instead of the sequential id.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    # The batch's custodian when the labels were asked for: whoever acts for it may download them.
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    label_format: Mapped[LabelFormat] = mapped_column(enum_column(LabelFormat, "label_format", 10))
    label_count: Mapped[int]
    net_weight_kg: Mapped[Decimal] = mapped_column(Quantity)
    status: Mapped[LabelJobStatus] = mapped_column(
        enum_column(LabelJobStatus, "label_job_status", 10), default=LabelJobStatus.PENDING
    )
    progress: Mapped[int] = mapped_column(default=0)  # labels drawn so far
    file_key: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
