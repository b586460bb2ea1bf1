"""One row per recorded decision; rows are only ever added."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db

Details = JSON().with_variant(JSONB(), "postgresql")


class AuditEntry(db.Model):
    """A decision: ``actor`` (acting for ``actor_organization``) did ``action`` to the subject, for ``reason``,
    from ``ip_address`` (the client's address as the app sees it, behind ``TRUSTED_PROXIES``).

    A failed sign-in under a login nobody has has no actor and no subject id (``details`` names the login).
    ``details`` keeps what the subject looked like at the time (a name, a certificate number), so the log
    still reads right after the subject changes.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_subject", "subject_type", "subject_id"),
        Index("ix_audit_log_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    ip_address: Mapped[str | None] = mapped_column(String(45))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict | None] = mapped_column(Details)
