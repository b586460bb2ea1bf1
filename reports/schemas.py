"""The reports' API schemas: the filters every report takes, and a report as typed columns and rows."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from reports import periods, supply
from reports.filters import CERTIFICATIONS
from reports.tables import KINDS
from traceability.catalog import COMMODITIES


class ReportQuerySchema(Schema):
    """Checked by ``reports.filters.parse``, which names every bad value in one problem."""

    commodity = fields.String(metadata={"description": "cashew, pepper or rubber", "enum": list(COMMODITIES)})
    product = fields.String(metadata={"description": "A product code of the commodity (raw_cashew_nuts, svr…)"})
    commune = fields.String(metadata={"description": "A commune's or ward's code in the province (5 digits)"})
    period = fields.String(
        metadata={
            "description": "2026 (year), 2026-Q1 (quarter), 2026-03 (month), 2025/26 (crop season from 1 October) "
            "or all; the current crop season when left out"
        }
    )
    certification = fields.String(
        metadata={"description": "Only harvests certified by this type (or any)", "enum": list(CERTIFICATIONS)}
    )


class SupplyQuerySchema(ReportQuerySchema):
    group_by = fields.String(
        load_default=",".join(supply.DEFAULT_GROUPS),
        metadata={"description": f"Comma-separated, from {', '.join(supply.GROUPS)}; empty for one total"},
    )
    interval = fields.String(
        load_default=periods.MONTH,
        metadata={"description": "The periods rows are grouped in", "enum": list(periods.INTERVALS)},
    )


class ColumnSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True, metadata={"description": "In the language of Accept-Language"})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))


class FreshnessSchema(Schema):
    refreshed_at = fields.DateTime(required=True, allow_none=True)
    pending = fields.Integer(required=True, metadata={"description": "Harvests recorded since, not in the figures"})
    current = fields.Boolean(required=True)


class ReportSchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    note = fields.String(required=True, allow_none=True)
    columns = fields.List(fields.Nested(ColumnSchema), required=True)
    rows = fields.List(
        fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True)),
        required=True,
        metadata={
            "description": "One object per row, keyed by the columns' keys: kg, ha, share and ratio as decimal "
            "text, counts and VND as integers, dates as ISO dates, names as text; null where there is no value"
        },
    )
    freshness = fields.Nested(
        FreshnessSchema,
        required=True,
        allow_none=True,
        metadata={"description": "For reports read from the harvest rollup: how current the figures are"},
    )


class ReportsSchema(Schema):
    tables = fields.List(fields.Nested(ReportSchema), required=True)
