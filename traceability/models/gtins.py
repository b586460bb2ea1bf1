"""Which organization a GTIN belongs to: the first one that put it on a lot."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db


class GtinRegistration(db.Model):
    """A GTIN is a brand owner's product number: once an organization uses it, nobody else may.

    Without this, anyone could register a lot under a competitor's GTIN and lot number
    and the Digital Link resolver would send the competitor's QR codes to it.
    """

    __tablename__ = "gtin_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    gtin: Mapped[str] = mapped_column(String(14), unique=True)  # GTIN-14, check digit validated
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
