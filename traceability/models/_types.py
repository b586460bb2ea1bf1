"""Column types shared by the traceability tables."""

from __future__ import annotations

import enum

from sqlalchemy import JSON, Enum, Numeric
from sqlalchemy.dialects.postgresql import JSONB

# Quantities: up to 1e11 with 4 decimals covers grams of a season's rubber in tonnes or kg.
Quantity = Numeric(18, 4)
# JSON on both backends (JSONB on PostgreSQL for indexable documents).
Document = JSON().with_variant(JSONB(), "postgresql")


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
