"""Schemas of a rubber lot's EUDR package: the GeoJSON for the EU Information System and the due-diligence JSON."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.openapi import ProblemSchema
from traceability.schemas.batches import EudrPlotProblemSchema
from traceability.schemas.fields import DecimalText

GEOJSON = "application/geo+json"
PROBLEM_JSON = "application/problem+json"


class PlotGeometrySchema(Schema):
    type = fields.Str(validate=validate.OneOf(("Point", "Polygon", "MultiPolygon")))
    coordinates = fields.Raw(
        metadata={
            "description": "WGS84 positions as [longitude, latitude] (RFC 7946), exactly as stored: never rounded",
            "type": "array",
            "items": {},
        }
    )


class FeaturePropertiesSchema(Schema):
    ProducerName = fields.Str(metadata={"description": "The organization or household that farms the plot"})
    ProducerCountry = fields.Str(metadata={"description": "ISO 3166-1 alpha-2: always VN"})
    ProductionPlace = fields.Str(metadata={"description": "The plot's name, its commune and province"})
    Area = fields.Float(metadata={"description": "The plot's area in hectares"})


class FeatureSchema(Schema):
    type = fields.Str(metadata={"description": "Always Feature"})
    id = fields.Int(metadata={"description": "The plot's id"})
    geometry = fields.Nested(PlotGeometrySchema)
    properties = fields.Nested(FeaturePropertiesSchema)


class FeatureCollectionSchema(Schema):
    type = fields.Str(metadata={"description": "Always FeatureCollection"})
    features = fields.List(
        fields.Nested(FeatureSchema),
        metadata={"description": "One per origin plot that has a geolocation, in plot id order"},
    )


class DueDiligenceOperatorSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    commune_code = fields.Str(allow_none=True)
    commune = fields.Str(allow_none=True, metadata={"description": "Commune and province; null when unknown"})


class DueDiligencePlotSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    producer_id = fields.Int(metadata={"description": "The organization that farms the plot"})
    producer_name = fields.Str()
    commune_code = fields.Str()
    commune = fields.Str(allow_none=True, metadata={"description": "Commune and province; null when unknown"})
    production_place = fields.Str(metadata={"description": "ProductionPlace in the GeoJSON"})
    area_ha = DecimalText(dump_only=True)
    geometry_type = fields.Str(
        allow_none=True, metadata={"description": "Point, Polygon or MultiPolygon; null without geolocation"}
    )
    deforestation_free = fields.Bool(metadata={"description": "Whether the no-deforestation declaration was made"})
    declared_at = fields.DateTime(allow_none=True)
    eudr_ready = fields.Bool()
    problems = fields.List(fields.Str(), metadata={"description": "Why the plot is not EUDR-ready (English)"})


class DeclarationSchema(Schema):
    plot_id = fields.Int()
    plot_name = fields.Str()
    declared_at = fields.DateTime(allow_none=True)
    declared_by_id = fields.Int(allow_none=True, metadata={"description": "The user who declared it"})


class DueDiligenceSchema(Schema):
    code = fields.Str()
    commodity = fields.Str(metadata={"description": "Always rubber"})
    product = fields.Str()
    product_name = fields.Str()
    grade = fields.Str(allow_none=True)
    hs_code = fields.Str(metadata={"description": "HS 2022 subheading: 4001.10, 4001.21, 4001.22 or 4001.29"})
    hs_description = fields.Str(metadata={"description": "The subheading's wording, in the caller's language"})
    quantity = DecimalText(dump_only=True, metadata={"description": "Net mass the lot holds now, in kg"})
    initial_quantity = DecimalText(dump_only=True, metadata={"description": "Net mass the lot was made with, in kg"})
    unit = fields.Str(metadata={"description": "Always kg"})
    drc_percent = DecimalText(dump_only=True, allow_none=True, metadata={"description": "Dry rubber content of latex"})
    harvest_start = fields.Date(
        allow_none=True, metadata={"description": "Earliest harvest of the lot and every lot it came from"}
    )
    harvest_end = fields.Date(
        allow_none=True, metadata={"description": "Latest harvest of the lot and every lot it came from"}
    )
    country_of_production = fields.Str(metadata={"description": "ISO 3166-1 alpha-2: always VN"})
    deforestation_cutoff = fields.Date(metadata={"description": "Declarations say: no deforestation after this day"})
    operator = fields.Nested(DueDiligenceOperatorSchema, metadata={"description": "The lot's custodian"})
    unknown_origin = fields.Bool()
    plots = fields.List(fields.Nested(DueDiligencePlotSchema))
    declarations = fields.List(
        fields.Nested(DeclarationSchema), metadata={"description": "The plots declared free of deforestation"}
    )
    eudr_ready = fields.Bool()
    reasons = fields.List(fields.Str(), metadata={"description": "Every reason the lot is not EUDR-ready (English)"})
    problems = fields.List(fields.Nested(EudrPlotProblemSchema))
    geojson_url = fields.Str(metadata={"description": "The plots' GeoJSON for the EU Information System"})
    pdf_url = fields.Str(metadata={"description": "This information as a PDF for people"})


class EudrPackageProblemSchema(ProblemSchema):
    commodity = fields.Str(
        metadata={"description": "With code eudr_not_applicable: the lot's commodity (cashew or pepper)"}
    )
    size_bytes = fields.Int(
        metadata={"description": "With code eudr_geojson_too_large: the size the GeoJSON would have"}
    )
    limit_bytes = fields.Int(
        metadata={"description": "With code eudr_geojson_too_large: what the EU Information System accepts"}
    )
