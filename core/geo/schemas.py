"""Marshmallow schemas of the geo API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.geo.services import MAX_ADDRESS_LENGTH


class ProvinceSchema(Schema):
    code = fields.String(metadata={"description": "GSO code, two digits", "example": "75"})
    name = fields.String(metadata={"description": "Official name with diacritics", "example": "Đồng Nai"})
    codename = fields.String(metadata={"description": "ASCII form of the name", "example": "dong_nai"})


class CommuneSchema(Schema):
    code = fields.String(metadata={"description": "GSO code, five digits", "example": "25270"})
    name = fields.String(metadata={"description": "Official name with its unit word", "example": "Xã Lộc Ninh"})
    codename = fields.String(metadata={"description": "ASCII form of the name", "example": "xa_loc_ninh"})
    province_code = fields.String(metadata={"example": "75"})
    province_name = fields.String(metadata={"example": "Đồng Nai"})


class AddressMatchRequestSchema(Schema):
    address = fields.String(
        required=True,
        validate=validate.Length(min=1, max=MAX_ADDRESS_LENGTH),
        metadata={
            "description": "An address written the old way, with district",
            "example": "xã Lộc Thái, huyện Lộc Ninh, Bình Phước",
        },
    )


class AddressMatchSchema(Schema):
    status = fields.String(
        metadata={
            "description": "matched: one commune; ambiguous: choose among candidates; not_found",
            "enum": ["matched", "ambiguous", "not_found"],
        }
    )
    commune = fields.Nested(CommuneSchema, allow_none=True, metadata={"description": "The new commune when matched"})
    candidates = fields.List(
        fields.Nested(CommuneSchema), metadata={"description": "Communes to choose from when ambiguous"}
    )
    street = fields.String(
        allow_none=True, metadata={"description": "What remains of the address: house, street, hamlet"}
    )
