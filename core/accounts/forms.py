"""Page forms. They check presence and shape; the services decide what is valid."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from core.accounts.models import Role

KIND_CHOICES = [
    SelectChoice("household", _l("Farming household")),
    SelectChoice("cooperative", _l("Cooperative")),
    SelectChoice("processor", _l("Processor")),
    SelectChoice("trader", _l("Trader")),
    SelectChoice("buyer", _l("Buyer")),
]
ROLE_CHOICES = [
    SelectChoice(Role.MEMBER.value, _l("Member")),
    SelectChoice(Role.MANAGER.value, _l("Manager")),
    SelectChoice(Role.OWNER.value, _l("Owner")),
]
KIND_LABELS = {choice.value: choice.label for choice in KIND_CHOICES} | {
    "department": _l("Department of Agriculture and Environment")
}
ROLE_LABELS = {choice.value: choice.label for choice in ROLE_CHOICES}
LOGIN_REQUIRED = _l("Enter your phone number or email address.")


class SignUpForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(_l("Enter your name.")), Length(max=200)])
    login = StringField(_l("Phone number or email"), validators=[DataRequired(LOGIN_REQUIRED), Length(max=254)])
    password = PasswordField(
        _l("Password (at least 8 characters)"), validators=[DataRequired(_l("Choose a password."))]
    )
    org_name = StringField(
        _l("Name of your farm or business"),
        validators=[DataRequired(_l("Enter the organization's name.")), Length(max=200)],
    )
    org_kind = SelectField(_l("You are a"), choices=KIND_CHOICES, validate_choice=False)
    # The address comes from the address picker (core.geo.picker), outside this form.


class SignInForm(FlaskForm):
    login = StringField(_l("Phone number or email"), validators=[DataRequired(LOGIN_REQUIRED), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])


class OrganizationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the organization's name.")), Length(max=200)])
    # The address comes from the address picker (core.geo.picker), outside this form.


class MemberForm(FlaskForm):
    login = StringField(
        _l("Phone number or email of the person"), validators=[DataRequired(LOGIN_REQUIRED), Length(max=254)]
    )
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, validate_choice=False)


class ExistingHouseholdForm(FlaskForm):
    household_id = IntegerField(_l("Household number"), validators=[DataRequired(_l("Enter the household's number."))])


class NewHouseholdForm(FlaskForm):
    name = StringField(
        _l("Household name"), validators=[DataRequired(_l("Enter the household's name.")), Length(max=200)]
    )
    owner_name = StringField(_l("Head of household"), validators=[DataRequired(_l("Enter a name.")), Length(max=200)])
    owner_login = StringField(
        _l("Their phone number or email"), validators=[DataRequired(LOGIN_REQUIRED), Length(max=254)]
    )
    owner_password = PasswordField(
        _l("A first password for them (at least 8 characters)"), validators=[DataRequired(_l("Choose a password."))]
    )
    # The address comes from the address picker (core.geo.picker), outside this form.
