"""Schemas of plots, certificates and bulk imports."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.files.schemas import FileUpload
from traceability import catalog, geometry
from traceability.models import CertificateType, VerificationState
from traceability.schemas.fields import DecimalText, Id
from traceability.services.event_input import today


class EudrSchema(Schema):
    ready = fields.Bool(metadata={"description": "Everything the EUDR needs from this plot is there."})
    reasons = fields.List(fields.Str(), metadata={"description": "What is missing, in English."})
    needs_polygon = fields.Bool(metadata={"description": "Over 4 ha: a polygon is required, a point is not enough."})


def _eudr(plot) -> dict:
    ready, reasons = geometry.eudr_plot_status(plot)
    return {"ready": ready, "reasons": reasons, "needs_polygon": geometry.needs_polygon(plot.area_ha)}


class PlotSchema(Schema):
    id = fields.Int()
    organization_id = fields.Int()
    name = fields.Str()
    commune_code = fields.Str()
    street = fields.Str(allow_none=True)
    area_ha = DecimalText(dump_only=True, metadata={"description": "Declared area in hectares, as a decimal string."})
    polygon_area_ha = fields.Function(
        lambda plot: None if (area := geometry.area_ha(plot.geometry)) is None else catalog.decimal_text(area),
        metadata={"description": "Area of the polygon in hectares (none for a point)."},
    )
    crops = fields.List(fields.Str())
    geometry = fields.Dict(
        allow_none=True, metadata={"description": "GeoJSON geometry in WGS84, coordinates as given."}
    )
    geometry_type = fields.Str(allow_none=True)
    gps_accuracy_m = DecimalText(
        dump_only=True,
        allow_none=True,
        metadata={"description": "How far off the GPS point may be, in metres, as the phone reported it."},
    )
    growing_area_code = fields.Str(allow_none=True)
    deforestation_free = fields.Bool()
    deforestation_declared_at = fields.DateTime(allow_none=True)
    deforestation_declared_by_id = fields.Int(allow_none=True)
    eudr = fields.Function(_eudr, metadata={"description": "EUDR readiness of the plot"})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class PlotUpdateSchema(Schema):
    # Lengths, ranges and codes are checked by the service, so that every bad field is named at once.
    name = fields.Str()
    commune_code = fields.Str(metadata={"description": "GSO code of the commune/ward (5 digits), e.g. 25270"})
    street = fields.Str(allow_none=True)
    area_ha = DecimalText(metadata={"description": "Area in hectares (> 0); e.g. 2.5 (a dot as the decimal mark)."})
    crops = fields.List(fields.Str(), metadata={"description": "Some of: cashew, pepper, rubber"})
    geometry = fields.Dict(
        allow_none=True, metadata={"description": "GeoJSON Point, Polygon or MultiPolygon in WGS84 (or a Feature)."}
    )
    gps_accuracy_m = DecimalText(
        allow_none=True,
        metadata={
            "description": "Accuracy of the GPS fix in metres (> 0, at most 10000, 2 decimals); a new geometry "
            "without it clears it."
        },
    )
    growing_area_code = fields.Str(allow_none=True)
    deforestation_free = fields.Bool(
        metadata={"description": "The caller declares no deforestation after 31 Dec 2020."}
    )


class PlotCreateSchema(PlotUpdateSchema):
    organization_id = Id(required=True, metadata={"description": "Owner: yours, or a member household of your co-op."})
    name = fields.Str(required=True)
    commune_code = fields.Str(required=True)
    area_ha = DecimalText(
        required=True, metadata={"description": "Area in hectares (> 0); e.g. 2.5 (a dot as the decimal mark)."}
    )


class PlotQuerySchema(Schema):
    organization_id = Id()
    commune_code = fields.Str()
    crop = fields.Str(validate=validate.OneOf(catalog.COMMODITIES))


class CertificateSchema(Schema):
    id = fields.Int()
    organization_id = fields.Int()
    type = fields.Function(lambda c: c.type.value)
    type_other = fields.Str(allow_none=True)
    number = fields.Str()
    issuer = fields.Str()
    valid_from = fields.Date()
    valid_to = fields.Date()
    valid_today = fields.Function(
        lambda c: c.valid_on(today()), metadata={"description": "Valid on today's date in Vietnam"}
    )
    plot_ids = fields.Function(lambda c: sorted(p.id for p in c.plots))
    document_id = fields.Str(allow_none=True)
    verification = fields.Function(lambda c: c.verification.value)
    verification_note = fields.Str(allow_none=True)
    verified_at = fields.DateTime(allow_none=True)
    verified_by_id = fields.Int(allow_none=True)
    created_at = fields.DateTime()


class CertificateCreateSchema(Schema):
    organization_id = Id(required=True)
    type = fields.Str(required=True, validate=validate.OneOf([t.value for t in CertificateType]))
    type_other = fields.Str(allow_none=True, metadata={"description": "The certificate's name when type is 'other'."})
    number = fields.Str(required=True, validate=validate.Length(min=1, max=100))
    issuer = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(required=True)
    plot_ids = fields.List(Id(), load_default=list)
    document_id = fields.Str(
        allow_none=True, metadata={"description": "public_id of a photo of the document from POST /api/v1/photos"}
    )


class CertificateQuerySchema(Schema):
    organization_id = Id()
    plot_id = Id()
    verification = fields.Str(validate=validate.OneOf([s.value for s in VerificationState]))


class CertificateVerificationSchema(Schema):
    state = fields.Str(
        required=True, validate=validate.OneOf([VerificationState.VERIFIED.value, VerificationState.REJECTED.value])
    )
    note = fields.Str(allow_none=True, validate=validate.Length(max=2000))


IMPORT_KINDS = ("plots", "harvests")


class ImportRequestSchema(Schema):
    file = FileUpload(
        required=True,
        error_messages={"not_a_file": "Send the sheet as a file part of a multipart/form-data request."},
        metadata={"description": "A .csv (UTF-8) or .xlsx sheet made from the template."},
    )
    kind = fields.Str(required=True, validate=validate.OneOf(IMPORT_KINDS))
    organization_id = Id(
        required=True,
        metadata={"description": "The importing organization (a co-op imports for its member households)."},
    )


class ImportResultSchema(Schema):
    kind = fields.Str()
    created = fields.Int(metadata={"description": "Rows imported (all of them: an import lands whole or not at all)."})
    plot_ids = fields.List(fields.Int())
    batch_codes = fields.List(fields.Str())
