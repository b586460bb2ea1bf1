"""Listings: an offer of part of a lot, with its price, delivery options and stock counters."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import utcnow
from core.extensions import db
from market.models._types import Amount, Document, enum_column, new_public_id
from market.quantities import grams_to_kg


class ListingStatus(enum.StrEnum):
    DRAFT = "draft"  # being prepared; only the seller sees it
    ACTIVE = "active"  # on the marketplace, can be ordered
    PAUSED = "paused"  # hidden from search, cannot be ordered; open orders go on
    SOLD_OUT = "sold_out"  # nothing left to reserve; comes back when a reservation is released


class Listing(db.Model):
    __tablename__ = "market_listings"
    __table_args__ = (
        # The backstop under the conditional updates: never more reserved and sold than offered.
        CheckConstraint("reserved_g >= 0 AND sold_g >= 0", name="counters_not_negative"),
        CheckConstraint("reserved_g + sold_g <= quantity_g", name="within_offer"),
        CheckConstraint("shipped_g >= 0 AND shipped_g <= sold_g", name="shipped_within_sold"),
        CheckConstraint("price_per_kg > 0", name="price_positive"),
        CheckConstraint("min_order_g > 0", name="min_order_positive"),
        # Browsing filters on active listings and sorts by price or by date (thousands of rows).
        Index("ix_market_listings_status_commodity_price", "status", "commodity", "price_per_kg"),
        Index("ix_market_listings_status_price", "status", "price_per_kg"),
        Index("ix_market_listings_status_published", "status", "published_at"),
        Index("ix_market_listings_status_product_grade", "status", "product", "grade"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(12), unique=True, default=new_public_id)
    seller_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    # Copied from the lot when the listing is made or edited, so that search needs no join.
    batch_code: Mapped[str] = mapped_column(String(16))
    commodity: Mapped[str] = mapped_column(String(20))
    product: Mapped[str] = mapped_column(String(40))
    grade: Mapped[str | None] = mapped_column(String(20))
    eudr_ready: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    price_per_kg: Mapped[int] = mapped_column(Amount)  # VND
    # Volume prices: [{"min_quantity": "500", "price_per_kg": 235000}, ...], ascending by quantity.
    price_tiers: Mapped[list[dict]] = mapped_column(Document, default=list)
    min_order_g: Mapped[int] = mapped_column(Amount)
    quantity_g: Mapped[int] = mapped_column(Amount)
    reserved_g: Mapped[int] = mapped_column(Amount, default=0)
    sold_g: Mapped[int] = mapped_column(Amount, default=0)
    shipped_g: Mapped[int] = mapped_column(Amount, default=0)
    payment_methods: Mapped[list[str]] = mapped_column(Document, default=list)
    photos: Mapped[list[str]] = mapped_column(Document, default=list)  # core.files StoredFile public ids
    pickup: Mapped[bool] = mapped_column(default=True)  # the buyer collects at the seller's address
    # The seller delivers to these provinces for this fee (VND): {"75": 50000, "79": 250000}.
    delivery_fees: Mapped[dict[str, int]] = mapped_column(Document, default=dict)
    status: Mapped[ListingStatus] = mapped_column(
        enum_column(ListingStatus, "listing_status"), default=ListingStatus.DRAFT
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]

    communes: Mapped[list[ListingCommune]] = relationship(cascade="all, delete-orphan")
    certifications: Mapped[list[ListingCertification]] = relationship(cascade="all, delete-orphan")

    @property
    def available_g(self) -> int:
        return self.quantity_g - self.reserved_g - self.sold_g

    @property
    def quantity(self) -> Decimal:
        return grams_to_kg(self.quantity_g)

    @property
    def available(self) -> Decimal:
        return grams_to_kg(self.available_g)

    @property
    def min_order_quantity(self) -> Decimal:
        return grams_to_kg(self.min_order_g)


class ListingCommune(db.Model):
    """A commune the lot's origin plots lie in (a lot may come from several)."""

    __tablename__ = "market_listing_communes"
    __table_args__ = (
        UniqueConstraint("listing_id", "commune_code"),
        Index("ix_market_listing_communes_code", "commune_code", "listing_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("market_listings.id", ondelete="CASCADE"))
    commune_code: Mapped[str] = mapped_column(String(10))


class ListingCertification(db.Model):
    """A verified, valid certificate (VietGAP, organic...) covering the lot's origin plots."""

    __tablename__ = "market_listing_certifications"
    __table_args__ = (
        UniqueConstraint("listing_id", "type"),
        Index("ix_market_listing_certifications_type", "type", "listing_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("market_listings.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(30))
