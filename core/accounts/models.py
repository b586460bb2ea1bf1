"""Users, organizations, memberships and API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import utcnow
from core.extensions import db


class OrganizationKind(enum.StrEnum):
    HOUSEHOLD = "household"
    COOPERATIVE = "cooperative"
    PROCESSOR = "processor"
    TRADER = "trader"
    BUYER = "buyer"
    DEPARTMENT = "department"


class VerificationStatus(enum.StrEnum):
    """Where an organization stands with the department: waiting for review, verified, or rejected."""

    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Role(enum.StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    MEMBER = "member"


def _enum(cls, name):
    return Enum(
        cls,
        name=name,
        native_enum=False,
        length=20,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("phone IS NOT NULL OR email IS NOT NULL", name="has_login"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)  # E.164
    email: Mapped[str | None] = mapped_column(String(254), unique=True)  # lower-cased
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def login(self) -> str:
        return self.phone or self.email or ""


class Organization(db.Model):
    """A household, co-op, business, buyer or the department.

    Its standing with the department follows from two columns, so code that sets ``verified_at`` alone keeps
    working: verified while ``verified_at`` is set, rejected while ``rejection_reason`` is (never both), and
    waiting for review otherwise. ``reviewed_at``/``reviewed_by_id`` are the officer's last decision of any kind.
    """

    __tablename__ = "organizations"
    __table_args__ = (CheckConstraint("verified_at IS NULL OR rejection_reason IS NULL", name="verified_or_rejected"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganizationKind] = mapped_column(_enum(OrganizationKind, "organization_kind"))
    commune_code: Mapped[str | None] = mapped_column(String(10), index=True)
    street: Mapped[str | None] = mapped_column(String(300))
    tax_code: Mapped[str | None] = mapped_column(String(20))
    # GS1 Global Location Number (13 digits, check digit validated): EPCIS names its sites and it as a party by it.
    gln: Mapped[str | None] = mapped_column(String(13), unique=True)
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Why the department rejected the organization, shown to its people; cleared when they update it.
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="organization", cascade="all, delete-orphan")

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def verification_state(self) -> VerificationStatus:
        if self.verified_at is not None:
            return VerificationStatus.VERIFIED
        if self.rejection_reason is not None:
            return VerificationStatus.REJECTED
        return VerificationStatus.PENDING


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "membership_role"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship(back_populates="memberships")


class CooperativeMember(db.Model):
    """A household that belongs to a co-op; the co-op's managers may act for it."""

    __tablename__ = "cooperative_members"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "household_id"),
        CheckConstraint("cooperative_id <> household_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(db.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class LoginFailure(db.Model):
    """One failed sign-in or token request: counted per login and client address, and per address."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_login_at", "login", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(254))
    # The client's address (IPv6 at most 45 characters); None for failures recorded before it was kept.
    address: Mapped[str | None] = mapped_column(String(45))
    at: Mapped[datetime] = mapped_column(default=utcnow)
