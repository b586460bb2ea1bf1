"""Schemas of batches, events, operations (split, merge, transform, ship, receive, correct), lineage and verification.

Input schemas check shape and types only; the services decide what is valid
(products, grades, GTINs, lot numbers, dates, mass balance) and name the field.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from traceability import catalog
from traceability.schemas.fields import DecimalText, Id
from traceability.services.event_input import MAX_PHOTOS, VIETNAM_OFFSET
from traceability.services.operations import MAX_INPUTS, MAX_OUTPUTS, MAX_PARTS

EVENT_TIME_HELP = "ISO 8601 with offset (+07:00 assumed when absent); not in the future. Default: now."


def _event_time():
    return fields.AwareDateTime(
        default_timezone=VIETNAM_OFFSET, load_default=None, metadata={"description": EVENT_TIME_HELP}
    )


class MeasurementSchema(Schema):
    type = fields.Str(required=True, metadata={"description": ", ".join(catalog.MEASUREMENTS)})
    value = DecimalText(required=True)
    unit = fields.Str(
        load_default=None,
        metadata={"description": "percent, g_per_l, lbs_per_80kg or celsius (optional; implied by type)"},
    )


class LocationSchema(Schema):
    plot_id = Id(load_default=None, metadata={"description": "One of your plots"})
    name = fields.Str(load_default=None, validate=validate.Length(max=200), metadata={"description": "A facility name"})
    commune_code = fields.Str(load_default=None, metadata={"description": "GSO commune code"})


class BatchCreateSchema(Schema):
    product = fields.Str(
        required=True,
        metadata={"description": "A harvested form: raw_cashew_nuts, fresh_pepper, field_latex, cup_lump"},
    )
    commodity = fields.Str(load_default=None, validate=validate.OneOf(catalog.COMMODITIES))
    grade = fields.Str(load_default=None)
    quantity = DecimalText(required=True)
    unit = fields.Str(load_default="kg", validate=validate.OneOf(catalog.UNITS))
    drc_percent = DecimalText(load_default=None, metadata={"description": "Dry rubber content of field latex, %"})
    organization_id = Id(load_default=None, metadata={"description": "Custodian; defaults to the plots' owner"})
    plot_ids = fields.List(Id(), load_default=list)
    origin_unknown = fields.Bool(
        load_default=False, metadata={"description": "Bought from outside the platform, no plots (never EUDR-ready)"}
    )
    harvest_date = fields.Date(load_default=None)
    harvest_start = fields.Date(load_default=None)
    harvest_end = fields.Date(load_default=None)
    gtin = fields.Str(load_default=None)
    lot_number = fields.Str(
        load_default=None, metadata={"description": "GS1 AI (10): at most 20 characters, no diacritics or spaces"}
    )
    note = fields.Str(load_default=None, validate=validate.Length(max=2000))
    event_time = _event_time()
    measurements = fields.List(
        fields.Nested(MeasurementSchema), load_default=list, validate=validate.Length(max=catalog.MAX_MEASUREMENTS)
    )


class ShipmentRefSchema(Schema):
    id = fields.Int()
    to_organization_id = fields.Int()
    to_organization_name = fields.Str(allow_none=True)
    reference = fields.Str(allow_none=True)


class BatchSchema(Schema):
    code = fields.Str()
    commodity = fields.Str()
    product = fields.Str()
    product_name = fields.Str()
    grade = fields.Str(allow_none=True)
    quantity = DecimalText(dump_only=True, metadata={"description": "Initial quantity"})
    unit = fields.Str()
    remaining = DecimalText(dump_only=True)
    drc_percent = DecimalText(dump_only=True, allow_none=True)
    status = fields.Str(metadata={"description": "active | in_transit | consumed"})
    custodian_id = fields.Int()
    custodian_name = fields.Str(allow_none=True)
    harvest_date = fields.Date(allow_none=True)
    harvest_start = fields.Date(allow_none=True)
    harvest_end = fields.Date(allow_none=True)
    plot_ids = fields.List(fields.Int())
    gtin = fields.Str(allow_none=True)
    lot_number = fields.Str(allow_none=True)
    note = fields.Str(allow_none=True)
    unknown_origin = fields.Bool()
    eudr_applicable = fields.Bool()
    eudr_ready = fields.Bool(
        allow_none=True, metadata={"description": "null when the EUDR does not apply (cashew, pepper)"}
    )
    eudr_reasons = fields.List(fields.Str())
    created_at = fields.DateTime()
    shipment = fields.Nested(
        ShipmentRefSchema, allow_none=True, metadata={"description": "The open shipment while in transit"}
    )


class BatchQuerySchema(Schema):
    commodity = fields.Str(validate=validate.OneOf(catalog.COMMODITIES))
    product = fields.Str()
    custodian = Id(metadata={"description": "Custodian organization id"})
    harvest_from = fields.Date()
    harvest_to = fields.Date()


class EventCreateSchema(Schema):
    step = fields.Str(
        required=True, metadata={"description": "A CBV bizStep word or one of ours (drying, shelling, grading...)"}
    )
    event_time = _event_time()
    disposition = fields.Str(load_default=None)
    location = fields.Nested(LocationSchema, load_default=None)
    measurements = fields.List(
        fields.Nested(MeasurementSchema), load_default=list, validate=validate.Length(max=catalog.MAX_MEASUREMENTS)
    )
    note = fields.Str(load_default=None, validate=validate.Length(max=2000))
    photos = fields.List(
        fields.Str(),
        load_default=list,
        validate=validate.Length(max=MAX_PHOTOS),
        metadata={"description": f"Public ids of uploaded images (at most {MAX_PHOTOS})"},
    )
    quantity_after = DecimalText(
        load_default=None, metadata={"description": "Weight after a step that lost some (drying); never more"}
    )


class QuantityLineSchema(Schema):
    batch_code = fields.Str()
    role = fields.Str(metadata={"description": "input | output | observed"})
    quantity = DecimalText(dump_only=True)
    unit = fields.Str()


class LocationOutSchema(Schema):
    plot_id = fields.Int(allow_none=True)
    name = fields.Str(allow_none=True)
    commune_code = fields.Str(allow_none=True)


class CorrectionInfoSchema(Schema):
    reason = fields.Str()
    note = fields.Str(allow_none=True)
    declared_at = fields.DateTime()
    corrective_event_ids = fields.List(fields.Int())


class EventSchema(Schema):
    id = fields.Int()
    event_uuid = fields.Str()
    type = fields.Str()
    action = fields.Str(allow_none=True)
    operation = fields.Str()
    step = fields.Str()
    biz_step = fields.Str()
    disposition = fields.Str(allow_none=True)
    event_time = fields.DateTime()
    event_time_zone_offset = fields.Str()
    record_time = fields.DateTime()
    location = fields.Nested(LocationOutSchema, allow_none=True)
    organization_id = fields.Int()
    organization_name = fields.Str(allow_none=True)
    measurements = fields.List(fields.Dict())
    photos = fields.List(fields.Str())
    note = fields.Str(allow_none=True)
    anomaly = fields.Bool()
    anomaly_reason = fields.Str(allow_none=True)
    quantities = fields.List(fields.Nested(QuantityLineSchema))
    corrected = fields.Bool()
    correction = fields.Nested(CorrectionInfoSchema, allow_none=True)
    corrects = fields.Str(allow_none=True, metadata={"description": "event_uuid of the event this one corrects"})
    details = fields.Dict(metadata={"description": "EPCIS bizTransactionList, sourceList, destinationList, ilmd"})


class PartSchema(Schema):
    quantity = DecimalText(required=True)
    lot_number = fields.Str(load_default=None)


class SplitSchema(Schema):
    parts = fields.List(fields.Nested(PartSchema), required=True, validate=validate.Length(max=MAX_PARTS))
    note = fields.Str(load_default=None, validate=validate.Length(max=2000))
    event_time = _event_time()


class SplitResultSchema(Schema):
    batch = fields.Nested(BatchSchema)
    parts = fields.List(fields.Nested(BatchSchema))


class MergeSchema(Schema):
    inputs = fields.List(
        fields.Str(),
        required=True,
        validate=validate.Length(max=MAX_INPUTS),
        # The service refuses fewer than two different lots with its own code (merge_needs_two): documented here.
        metadata={
            "description": f"Codes of the lots to merge: at least two different lots, at most {MAX_INPUTS}",
            "minItems": 2,
        },
    )
    note = fields.Str(load_default=None, validate=validate.Length(max=2000))
    event_time = _event_time()


class MergeResultSchema(Schema):
    batch = fields.Nested(BatchSchema)
    warnings = fields.List(fields.Str())


class TransformInputSchema(Schema):
    code = fields.Str(required=True)
    quantity = DecimalText(load_default=None, metadata={"description": "Default: all that remains"})


class TransformOutputSchema(Schema):
    product = fields.Str(required=True)
    grade = fields.Str(load_default=None)
    quantity = DecimalText(required=True)
    unit = fields.Str(load_default="kg")
    drc_percent = DecimalText(load_default=None)
    gtin = fields.Str(load_default=None)
    lot_number = fields.Str(load_default=None)


class TransformationSchema(Schema):
    inputs = fields.List(fields.Nested(TransformInputSchema), required=True, validate=validate.Length(max=MAX_INPUTS))
    outputs = fields.List(
        fields.Nested(TransformOutputSchema), required=True, validate=validate.Length(max=MAX_OUTPUTS)
    )
    step = fields.Str(required=True, metadata={"description": "The processing step: shelling, drying, crumbling..."})
    reason = fields.Str(
        load_default=None,
        metadata={"description": "Why the yield is outside the usual band (then recorded as an anomaly)"},
    )
    note = fields.Str(load_default=None, validate=validate.Length(max=2000))
    event_time = _event_time()
    measurements = fields.List(
        fields.Nested(MeasurementSchema), load_default=list, validate=validate.Length(max=catalog.MAX_MEASUREMENTS)
    )
    location = fields.Nested(LocationSchema, load_default=None)


class TransformationResultSchema(Schema):
    event = fields.Nested(EventSchema)
    outputs = fields.List(fields.Nested(BatchSchema))
    anomaly = fields.Bool()


class ShipmentCreateSchema(Schema):
    batch_code = fields.Str(required=True)
    to_organization_id = Id(required=True)
    reference = fields.Str(
        load_default=None,
        validate=validate.Length(max=100),
        metadata={"description": "Delivery note or invoice number"},
    )
    note = fields.Str(load_default=None, validate=validate.Length(max=2000))
    event_time = _event_time()


class ReceiveSchema(Schema):
    note = fields.Str(load_default=None, validate=validate.Length(max=2000))
    event_time = _event_time()


class ShipmentSchema(Schema):
    id = fields.Int()
    batch_code = fields.Str()
    status = fields.Str()
    from_organization_id = fields.Int()
    to_organization_id = fields.Int()
    reference = fields.Str(allow_none=True)
    shipped_at = fields.DateTime()
    received_at = fields.DateTime(allow_none=True)


class CorrectiveStepSchema(EventCreateSchema):
    batch_code = fields.Str(
        load_default=None, metadata={"description": "Needed when the corrected event touched several lots"}
    )


class CorrectionSchema(Schema):
    reason = fields.Str(required=True, validate=validate.OneOf(("did_not_occur", "incorrect_data")))
    note = fields.Str(load_default=None, validate=validate.Length(max=2000))
    corrective = fields.Nested(CorrectiveStepSchema, load_default=None)
    quantity = DecimalText(
        load_default=None, metadata={"description": "The right quantity of a harvest (reason incorrect_data)"}
    )


class CorrectionResultSchema(Schema):
    event_id = fields.Int()
    reason = fields.Str()
    note = fields.Str(allow_none=True)
    declared_at = fields.DateTime()
    corrective_events = fields.List(fields.Nested(EventSchema))


class NodeSchema(Schema):
    code = fields.Str(attribute="batch.code")
    commodity = fields.Str(attribute="batch.commodity")
    product = fields.Str(attribute="batch.product")
    grade = fields.Str(attribute="batch.grade", allow_none=True)
    status = fields.Str(attribute="batch.status.value")
    depth = fields.Int(metadata={"description": "1 = direct parent (or child)"})
    custodian_id = fields.Int(attribute="batch.custodian_id")
    custodian_name = fields.Str()


class EdgeSchema(Schema):
    parent = fields.Str(attribute="parent_code")
    child = fields.Str(attribute="child_code")
    event_id = fields.Int()
    quantity = DecimalText(
        dump_only=True, allow_none=True, metadata={"description": "Taken from the parent, in its unit"}
    )


class LineagePlotSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    commune_code = fields.Str()
    area_ha = DecimalText(dump_only=True)
    organization_id = fields.Int()


class CustodySchema(Schema):
    organization_id = fields.Int()
    organization_name = fields.Str(allow_none=True)
    since = fields.DateTime(allow_none=True)
    until = fields.DateTime(allow_none=True)
    shipment_id = fields.Int(allow_none=True)
    in_transit = fields.Bool(load_default=False)


class LineageSchema(Schema):
    batch = fields.Nested(NodeSchema, attribute="root")
    ancestors = fields.List(fields.Nested(NodeSchema))
    descendants = fields.List(fields.Nested(NodeSchema))
    edges = fields.List(fields.Nested(EdgeSchema))
    plots = fields.List(fields.Nested(LineagePlotSchema))
    custody = fields.List(fields.Nested(CustodySchema))


class BadEventSchema(Schema):
    id = fields.Int()
    event_uuid = fields.Str()
    batch_code = fields.Str()
    reason = fields.Str()


class VerificationSchema(Schema):
    valid = fields.Bool(attribute="ok", dump_only=True)
    ok = fields.Bool()
    first_invalid_event = fields.Nested(BadEventSchema, attribute="first_bad_event", allow_none=True, dump_only=True)
    first_bad_event = fields.Nested(BadEventSchema, allow_none=True)
    checked = fields.Int(metadata={"description": "Events whose hash was recomputed"})
    batches = fields.Int(metadata={"description": "Lots in the lineage that were checked"})
    remaining_mismatches = fields.List(
        fields.Str(), metadata={"description": "Lots whose remaining quantity no longer follows from their events"}
    )


class EudrPlotProblemSchema(Schema):
    plot_id = fields.Int(allow_none=True)
    plot_name = fields.Str(allow_none=True)
    message = fields.Str()


class EudrStatusSchema(Schema):
    code = fields.Str()
    applicable = fields.Bool()
    ready = fields.Bool(allow_none=True)
    reasons = fields.List(fields.Str())
    problems = fields.List(fields.Nested(EudrPlotProblemSchema))
