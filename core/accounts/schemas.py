"""Marshmallow schemas of the accounts API."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core.accounts.models import OrganizationKind, Role

KINDS = [kind.value for kind in OrganizationKind]
ROLES = [role.value for role in Role]


class OrganizationSchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str()
    kind = fields.Str()
    commune_code = fields.Str(allow_none=True)
    street = fields.Str(allow_none=True)
    gln = fields.Str(allow_none=True, metadata={"description": "GS1 Global Location Number (13 digits), if it has one"})
    verified = fields.Bool(attribute="is_verified", dump_only=True)
    verified_at = fields.DateTime(allow_none=True, dump_only=True)
    verification_state = fields.Function(
        lambda o: o.verification_state.value,
        dump_only=True,
        metadata={"description": "pending | verified | rejected (by the Department of Agriculture and Environment)"},
    )
    rejection_reason = fields.Str(
        allow_none=True, dump_only=True, metadata={"description": "Why the department rejected it, while rejected"}
    )
    created_at = fields.DateTime(dump_only=True)


class RejectionSchema(Schema):
    reason = fields.Str(load_default="", metadata={"description": "Why: the organization's people see it"})


class UserSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    phone = fields.Str(allow_none=True)
    email = fields.Str(allow_none=True)
    is_admin = fields.Bool()
    created_at = fields.DateTime()


class MembershipSchema(Schema):
    role = fields.Str()
    organization = fields.Nested(OrganizationSchema)


class MeSchema(Schema):
    user = fields.Nested(UserSchema)
    memberships = fields.List(fields.Nested(MembershipSchema))


class MemberSchema(Schema):
    """A member of an organization as its other members see them."""

    user_id = fields.Int()
    name = fields.Str(attribute="user.name")
    phone = fields.Str(attribute="user.phone", allow_none=True)
    email = fields.Str(attribute="user.email", allow_none=True)
    role = fields.Str()
    created_at = fields.DateTime()


class _OneLogin(Schema):
    @validates_schema
    def one_login(self, data, **kwargs):
        if bool(data.get("phone")) == bool(data.get("email")):
            raise ValidationError("Give either 'phone' or 'email'.", field_name="phone")


class NewOrganizationSchema(Schema):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.Str(required=True, validate=validate.OneOf(KINDS))
    commune_code = fields.Str(load_default=None, allow_none=True)
    street = fields.Str(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=300),
        metadata={"description": "Street, hamlet or house number within the commune."},
    )


class SignUpSchema(_OneLogin):
    phone = fields.Str(load_default=None)
    email = fields.Str(load_default=None)
    password = fields.Str(required=True, load_only=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    organization = fields.Nested(NewOrganizationSchema, required=True)


class SignUpResultSchema(Schema):
    user = fields.Nested(UserSchema)
    organization = fields.Nested(OrganizationSchema)


class TokenRequestSchema(Schema):
    login = fields.Str(required=True, metadata={"description": "A phone number (any common form) or an email."})
    password = fields.Str(required=True, load_only=True)
    name = fields.Str(load_default="", validate=validate.Length(max=100))


class TokenSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    prefix = fields.Str(metadata={"description": "The first characters of the token, to recognise it."})
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class NewTokenSchema(Schema):
    token = fields.Str(metadata={"description": "The secret. It is shown only in this answer."})
    id = fields.Int()
    name = fields.Str()
    prefix = fields.Str()
    created_at = fields.DateTime()


class OrganizationUpdateSchema(Schema):
    name = fields.Str(validate=validate.Length(min=1, max=200))
    street = fields.Str(allow_none=True, validate=validate.Length(max=300))
    commune_code = fields.Str(allow_none=True)
    gln = fields.Str(
        allow_none=True,
        metadata={"description": "GS1 Global Location Number: 13 digits with a valid check digit; blank clears it"},
    )


class MemberAddSchema(Schema):
    login = fields.Str(required=True, metadata={"description": "Phone number or email of an existing user."})
    role = fields.Str(load_default=Role.MEMBER.value, validate=validate.OneOf(ROLES))


class HouseholdOwnerSchema(_OneLogin):
    phone = fields.Str(load_default=None)
    email = fields.Str(load_default=None)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    password = fields.Str(required=True, load_only=True)


class HouseholdAddSchema(Schema):
    """Either ``household_id`` of an existing household, or ``household`` to create one with its owner."""

    household_id = fields.Int(load_default=None)
    name = fields.Str(load_default=None, validate=validate.Length(min=1, max=200))
    commune_code = fields.Str(load_default=None, allow_none=True)
    street = fields.Str(load_default=None, allow_none=True)
    owner = fields.Nested(HouseholdOwnerSchema, load_default=None)

    @validates_schema
    def existing_or_new(self, data, **kwargs):
        new = data.get("name") is not None or data.get("owner") is not None
        if (data.get("household_id") is None) == (not new):
            raise ValidationError(
                "Give either 'household_id', or 'name' and 'owner' for a new household.", field_name="household_id"
            )
        if new and (data.get("name") is None or data.get("owner") is None):
            raise ValidationError("A new household needs 'name' and 'owner'.", field_name="owner")


class GrantSchema(Schema):
    organization_id = fields.Int(load_default=None)
    role = fields.Str(load_default=Role.MEMBER.value, validate=validate.OneOf(ROLES))
    admin = fields.Bool(load_default=False)

    @validates_schema
    def something(self, data, **kwargs):
        if data.get("organization_id") is None and not data.get("admin"):
            raise ValidationError("Give 'organization_id' (and 'role') or 'admin': true.", field_name="organization_id")


class UserGrantsSchema(MeSchema):
    pass
