"""Column helpers shared by the marketplace tables."""

from __future__ import annotations

import enum
import secrets

from sqlalchemy import JSON, BigInteger, Enum

# Whole grams and whole đồng (a season's tonnes in grams, or billions of đồng, pass 2^31).
Amount = BigInteger()
Document = JSON()

PUBLIC_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over the phone
PUBLIC_ID_LENGTH = 10


def new_public_id() -> str:
    """A random code for URLs and references (31^10 ≈ 8·10^14): ids in public URLs are never sequential."""
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


def enum_column(cls: type[enum.Enum], name: str, length: int = 24) -> Enum:
    """Enums stored as their string values with a CHECK, portable across SQLite and PostgreSQL."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
