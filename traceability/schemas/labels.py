"""Schemas of label sheets and recalls.

Input schemas check shape and types; the services check ranges and name the field.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from traceability.models import LabelFormat
from traceability.schemas.fields import DecimalText


class LabelSheetCreateSchema(Schema):
    count = fields.Int(required=True, metadata={"description": "Number of bags: 1 to 500 labels"})
    format = fields.Str(
        required=True,
        validate=validate.OneOf([f.value for f in LabelFormat]),
        metadata={
            "description": "a4: A4 sheets of 3 × 8 labels (70 × 37 mm); thermal: one 100 × 150 mm label per page"
        },
    )
    net_weight_kg = DecimalText(
        required=True, metadata={"description": "Net weight of one bag in kg (greater than 0, at most 1000)"}
    )


class LabelSheetSchema(Schema):
    id = fields.Str(metadata={"description": "The sheet's random id"})
    batch_code = fields.Str()
    format = fields.Str()
    count = fields.Int()
    net_weight_kg = DecimalText(dump_only=True)
    status = fields.Str(metadata={"description": "pending, running, done or failed"})
    progress = fields.Int(metadata={"description": "Labels drawn so far"})
    created_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime(allow_none=True)
    status_url = fields.Str(metadata={"description": "Where to poll this sheet"})
    download_url = fields.Str(allow_none=True, metadata={"description": "The PDF, once status is done"})


class RecallCreateSchema(Schema):
    reason = fields.Str(required=True, metadata={"description": "Why the lot is recalled (at least 5 characters)"})


class RecallSchema(Schema):
    id = fields.Int()
    batch_code = fields.Str(metadata={"description": "The recalled lot"})
    reason = fields.Str()
    at = fields.AwareDateTime()
    organization_name = fields.Str(
        metadata={"description": "Who declared the recall: the lot's holder or the department"}
    )
    affected = fields.List(
        fields.Str(),
        metadata={"description": "Codes of the lots this recall marked: the recalled lot and every lot made from it"},
    )
