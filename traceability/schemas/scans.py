"""Schemas of a lot's scan counts: how often its public trace page was opened, by day."""

from __future__ import annotations

from marshmallow import Schema, fields


class ScanQuerySchema(Schema):
    start = fields.Date(
        load_default=None, metadata={"description": "First day (Vietnam's calendar); default: 29 days before end"}
    )
    end = fields.Date(
        load_default=None, metadata={"description": "Last day; default: today in Vietnam. At most 366 days in all."}
    )


class ScanDaySchema(Schema):
    day = fields.Date(required=True)
    count = fields.Int(required=True)


class ScanCountsSchema(Schema):
    batch_code = fields.Str(required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    total = fields.Int(required=True, metadata={"description": "Views from start to end"})
    all_time = fields.Int(required=True, metadata={"description": "Views since the lot was registered"})
    days = fields.List(
        fields.Nested(ScanDaySchema),
        required=True,
        metadata={"description": "Every day of the range, oldest first, 0 when none"},
    )
