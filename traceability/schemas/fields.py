"""Fields shared by the traceability API schemas: decimals as JSON numbers or dot-decimal text, and database ids."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import fields, validate

from core.numbers import API, parse_decimal
from core.openapi import DecimalField
from core.routing import MAX_ID
from traceability import catalog


class DecimalText(DecimalField):
    """A decimal given as a JSON number or as text with a dot as the decimal mark ("2.5"); dumped as text."""

    default_error_messages = {
        "invalid": "Enter a number.",
        "separators": "Use a dot as the decimal mark and no thousands separators, e.g. 1250.5.",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        number = parse_decimal(value, locale=API)
        if number is None:
            raise self.make_error(
                "separators" if isinstance(value, str) and ("," in value or " " in value.strip()) else "invalid"
            )
        return number

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else catalog.decimal_text(Decimal(value))


def Id(**kwargs) -> fields.Int:
    """A database id: a positive integer that fits the id columns (anything larger names nothing, 422)."""
    return fields.Int(strict=False, validate=validate.Range(min=1, max=MAX_ID), **kwargs)
