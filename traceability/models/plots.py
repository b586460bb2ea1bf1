"""Farm plots (growing areas) and the certificates that cover them."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import utcnow
from core.extensions import db
from traceability.models._types import Document, Quantity, enum_column


class VerificationState(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class CertificateType(enum.StrEnum):
    VIETGAP = "vietgap"
    GLOBALGAP = "globalgap"
    ORGANIC = "organic"
    RAINFOREST_ALLIANCE = "rainforest_alliance"
    FAIRTRADE = "fairtrade"
    OTHER = "other"


class Plot(db.Model):
    __tablename__ = "plots"
    __table_args__ = (
        CheckConstraint("area_ha > 0", name="area_positive"),
        CheckConstraint(
            "geometry_type IS NULL OR geometry_type IN ('Point', 'Polygon', 'MultiPolygon')", name="geometry_type"
        ),
        CheckConstraint("gps_accuracy_m IS NULL OR gps_accuracy_m > 0", name="gps_accuracy_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    commune_code: Mapped[str] = mapped_column(String(10), index=True)
    street: Mapped[str | None] = mapped_column(String(300))
    area_ha: Mapped[Decimal] = mapped_column(Quantity)
    # Commodity values ("cashew", "pepper", "rubber") grown on the plot.
    crops: Mapped[list[str]] = mapped_column(Document, default=list)
    # GeoJSON geometry in WGS84 (Point, Polygon or MultiPolygon), coordinates as given (>= 6 decimals kept).
    geometry: Mapped[dict | None] = mapped_column(Document)
    geometry_type: Mapped[str | None] = mapped_column(String(20))
    # How far off the phone said its GPS point may be, in metres (none when typed or unknown).
    gps_accuracy_m: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    growing_area_code: Mapped[str | None] = mapped_column(String(50))
    # Land-use declaration for the EUDR: no deforestation after 31 December 2020.
    deforestation_free: Mapped[bool] = mapped_column(default=False)
    deforestation_declared_at: Mapped[datetime | None]
    deforestation_declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    certificates: Mapped[list[Certificate]] = relationship(
        secondary="certificate_plots", back_populates="plots", viewonly=True
    )


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (CheckConstraint("valid_to >= valid_from", name="valid_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    type: Mapped[CertificateType] = mapped_column(enum_column(CertificateType, "certificate_type"))
    type_other: Mapped[str | None] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(100))
    issuer: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date]
    valid_to: Mapped[date]
    # public_id of an uploaded document (core.files StoredFile), when one was attached.
    document_id: Mapped[str | None] = mapped_column(String(40))
    verification: Mapped[VerificationState] = mapped_column(
        enum_column(VerificationState, "verification_state"), default=VerificationState.PENDING
    )
    verification_note: Mapped[str | None] = mapped_column(Text)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plots: Mapped[list[Plot]] = relationship(secondary="certificate_plots", back_populates="certificates")

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


class CertificatePlot(db.Model):
    __tablename__ = "certificate_plots"
    __table_args__ = (UniqueConstraint("certificate_id", "plot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"), index=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plots.id", ondelete="CASCADE"), index=True)
