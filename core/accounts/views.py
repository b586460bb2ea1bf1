"""Account pages: sign up, sign in, sign out, organization profile, members and co-op households.

A form post that cannot be accepted re-renders the form with field messages and
what was typed (passwords aside), always with status 422.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from core.accounts import services
from core.accounts.current import SESSION_KEY, choose_organization, current_organization
from core.accounts.forms import (
    KIND_LABELS,
    ROLE_LABELS,
    ExistingHouseholdForm,
    MemberForm,
    NewHouseholdForm,
    OrganizationForm,
    SignInForm,
    SignUpForm,
)
from core.accounts.logins import is_email
from core.accounts.models import Organization, OrganizationKind, Role
from core.accounts.permissions import MANAGING_ROLES, can_act_for
from core.errors import Conflict, DomainError, PermissionDenied, TooManyAttempts, ValidationError
from core.extensions import limiter, sign_in_limit
from core.geo.picker import AddressPicker, new_address_picker, read_address_picker
from core.geo.services import format_address, get_commune
from core.i18n import translate
from core.navigation import audience_of, landing_url

bp = Blueprint("accounts", __name__)

INVALID = 422
# PermissionDenied reaches a form only for a rule about what is asked (e.g. only owners grant
# owner): whoever may not manage at all is refused with 403 before the form is read.
FORM_ERRORS = (ValidationError, Conflict, PermissionDenied)
SIGN_UP_FIELDS = {
    "phone": "login",
    "email": "login",
    "organization.name": "org_name",
    "organization.kind": "org_kind",
}
# Service messages about the address, by the picker part they belong to.
ADDRESS_FIELDS = {"organization.commune_code": "commune_code", "commune_code": "commune_code", "street": "street"}
HOUSEHOLD_FIELDS = {
    "owner.name": "owner_name",
    "owner.phone": "owner_login",
    "owner.email": "owner_login",
    "owner.login": "owner_login",
    "owner.password": "owner_password",
}


def safe_next(target: str | None, default: str) -> str:
    """Only a same-site path: ``next`` must never send someone to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


def show_errors(
    form: FlaskForm, error: DomainError, fields: dict[str, str] | None = None, picker: AddressPicker | None = None
) -> None:
    """Put a service's messages on the form's fields (translated), the rest above the form.

    With a ``picker``, messages about the address go to its parts (the macro translates them).
    """
    fields = fields or {}
    if not error.errors:
        form.form_errors.append(translate(error.detail))
    for key, messages in error.errors.items():
        if picker is not None and key in ADDRESS_FIELDS:
            picker.errors.setdefault(ADDRESS_FIELDS[key], []).extend(messages)
            continue
        field = getattr(form, fields.get(key, key), None)
        translated = [translate(message) for message in messages]
        if field is None or key == "csrf_token":
            form.form_errors.extend(translated)
        else:
            field.errors = list(field.errors) + translated


def address_accepted(picker: AddressPicker) -> bool:
    """True when the picker may be saved: a complete address, or none at all.

    An organization may have no address (a buyer abroad, say), so a picker left untouched is
    not an error (its "choose a commune" message is dropped); anything typed must lead to
    one commune.
    """
    if picker.refresh:
        return False
    left_blank = (
        picker.commune is None
        and not picker.street
        and not picker.old_address
        and set(picker.errors) <= {"commune_code"}
    )
    if left_blank:
        picker.errors.clear()
        return True
    return picker.is_complete


def organization_address(organization: Organization) -> str | None:
    """The stored address as people write it since July 2025: street, commune, province."""
    if organization.commune_code and get_commune(organization.commune_code):
        return format_address(organization.commune_code, organization.street)
    return ", ".join(part for part in (organization.street, organization.commune_code) if part) or None


def login_kwargs(login: str) -> dict[str, str]:
    return {"email": login} if is_email(login) else {"phone": login}


def page(template: str, status: int = 200, **context):
    """Render an organization page with the switcher and section links."""
    organization = context.get("organization")
    context.update(kind_labels=KIND_LABELS, role_labels=ROLE_LABELS)
    context.setdefault("organizations", services.actable_organizations(current_user))
    context.setdefault("is_cooperative", organization is not None and organization.kind == OrganizationKind.COOPERATIVE)
    return render_template(template, **context), status


def require_current(*, manage: bool = False) -> Organization:
    """The current organization (404 without one); with ``manage``, 403 unless an owner or manager acts."""
    organization = current_organization()
    if organization is None:
        abort(404)
    if manage and not can_act_for(current_user, organization.id, MANAGING_ROLES):
        abort(403)
    return organization


@bp.route("/sign-up", methods=["GET", "POST"])
def sign_up():
    form = SignUpForm()
    picker = read_address_picker(request.form) if form.is_submitted() else new_address_picker()
    # "Show communes" only redraws the form for another province: no field messages, nothing saved.
    if form.is_submitted() and not picker.refresh and all([form.validate(), address_accepted(picker)]):
        try:
            user, organization = services.sign_up(
                name=form.name.data,
                password=form.password.data,
                org_name=form.org_name.data,
                org_kind=form.org_kind.data,
                commune_code=picker.commune_code,
                street=picker.street,
                **login_kwargs(form.login.data),
            )
        except FORM_ERRORS as error:
            show_errors(form, error, SIGN_UP_FIELDS, picker)
        else:
            login_user(user)
            session.permanent = True  # see PERMANENT_SESSION_LIFETIME
            session[SESSION_KEY] = organization.id
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(landing_url(audience_of(user, organization), welcome=True), code=303)
    status = INVALID if form.is_submitted() and not picker.refresh else 200
    return render_template("core/accounts/sign_up.html", form=form, picker=picker), status


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.shared_limit(sign_in_limit, scope="sign-in", methods=["POST"])
def sign_in():
    form = SignInForm()
    # Without a ?next=, each reader starts from their own pages (a farmer's lots, a buyer's marketplace...).
    next_url = safe_next(request.args.get("next"), "")
    headers = {}
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.login.data, form.password.data, get_remote_address())
        except TooManyAttempts as error:
            # The refusal says how long to wait, in the reader's numbers ("3.600 giây").
            form.form_errors.append(translate(error.detail))
            headers["Retry-After"] = str(error.retry_after)
            return render_template("core/accounts/sign_in.html", form=form, next_url=next_url), 429, headers
        except DomainError as error:
            show_errors(form, error)
        else:
            session.pop(SESSION_KEY, None)
            login_user(user)
            session.permanent = True  # see PERMANENT_SESSION_LIFETIME
            return redirect(next_url or landing_url(audience_of(user, current_organization())), code=303)
    status = INVALID if form.is_submitted() else 200
    return render_template("core/accounts/sign_in.html", form=form, next_url=next_url), status


@bp.post("/sign-out")
def sign_out():
    logout_user()
    session.pop(SESSION_KEY, None)
    # The next person on this phone gets forms of their own (Flask-WTF also keeps the signed token in g).
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
    return redirect(url_for("core.home"), code=303)


@bp.post("/org/switch")
@login_required
def switch_organization():
    if not choose_organization(request.form.get("organization_id", type=int) or 0):
        abort(404)
    return redirect(safe_next(request.form.get("next"), url_for("accounts.organization")), code=303)


@bp.route("/org", methods=["GET", "POST"])
@login_required
def organization():
    organization = current_organization()
    if organization is None:
        return page("core/accounts/organization.html", organization=None, form=None)
    can_edit = can_act_for(current_user, organization.id, MANAGING_ROLES)
    form = OrganizationForm(obj=organization) if can_edit else None
    picker = new_address_picker(organization.commune_code, organization.street or "") if can_edit else None
    status = 200
    if request.method == "POST":
        if form is None:
            abort(403)  # a plain member sees the profile but cannot change it
        picker = read_address_picker(request.form)
        if not picker.refresh:
            status = INVALID
            if all([form.validate_on_submit(), address_accepted(picker)]):  # both, so every message shows at once
                try:
                    services.update_organization(
                        current_user,
                        organization.id,
                        name=form.name.data,
                        street=picker.street,
                        commune_code=picker.commune_code or "",
                    )
                except FORM_ERRORS as error:
                    show_errors(form, error, picker=picker)
                else:
                    flash(_("The organization profile is saved."), "success")
                    return redirect(url_for("accounts.organization"), code=303)
    return page(
        "core/accounts/organization.html",
        status,
        organization=organization,
        form=form,
        picker=picker,
        address=organization_address(organization),
    )


def _members_page(organization: Organization, form: MemberForm, status: int = 200):
    return page(
        "core/accounts/members.html",
        status,
        organization=organization,
        form=form if can_act_for(current_user, organization.id, MANAGING_ROLES) else None,
        members=services.list_members(current_user, organization.id),
        can_remove=services.role_of(current_user, organization.id) == Role.OWNER,
    )


@bp.route("/org/members", methods=["GET", "POST"])
@login_required
def members():
    organization = require_current(manage=request.method == "POST")
    form = MemberForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.add_member(current_user, organization.id, form.login.data, form.role.data)
            except FORM_ERRORS as error:
                show_errors(form, error)
            else:
                flash(_("The member is added."), "success")
                return redirect(url_for("accounts.members"), code=303)
        return _members_page(organization, form, INVALID)
    return _members_page(organization, form)


@bp.post("/org/members/<int:user_id>/remove")
@login_required
def remove_member(user_id: int):
    organization = require_current()
    services.remove_member(current_user, organization.id, user_id)
    flash(_("The member is removed."), "success")
    return redirect(url_for("accounts.members"), code=303)


def _households_page(
    organization: Organization,
    existing: ExistingHouseholdForm,
    new: NewHouseholdForm,
    status: int = 200,
    picker: AddressPicker | None = None,
):
    can_manage = can_act_for(current_user, organization.id, MANAGING_ROLES)
    households = services.list_households(current_user, organization.id)
    return page(
        "core/accounts/households.html",
        status,
        organization=organization,
        households=[(household, organization_address(household)) for household in households],
        existing_form=existing if can_manage else None,
        new_form=new if can_manage else None,
        # A new household is most often in the co-op's own commune: start the picker there.
        picker=(picker or new_address_picker(organization.commune_code)) if can_manage else None,
    )


@bp.get("/org/households")
@login_required
def households():
    organization = require_current()
    return _households_page(organization, ExistingHouseholdForm(formdata=None), NewHouseholdForm(formdata=None))


@bp.post("/org/households/add")
@login_required
def add_household():
    organization = require_current(manage=True)
    form = ExistingHouseholdForm()
    if form.validate_on_submit():
        try:
            services.add_household(current_user, organization.id, form.household_id.data)
        except (*FORM_ERRORS, services.HouseholdNotFound) as error:
            show_errors(form, error)
        else:
            flash(_("The household is added to the cooperative."), "success")
            return redirect(url_for("accounts.households"), code=303)
    return _households_page(organization, form, NewHouseholdForm(formdata=None), INVALID)


@bp.post("/org/households/new")
@login_required
def new_household():
    organization = require_current(manage=True)
    form = NewHouseholdForm()
    picker = read_address_picker(request.form)
    # "Show communes" only redraws the form for another province: no field messages, nothing saved.
    if picker.refresh:
        return _households_page(organization, ExistingHouseholdForm(formdata=None), form, picker=picker)
    if all([form.validate_on_submit(), address_accepted(picker)]):  # both, so every message shows at once
        login = form.owner_login.data
        try:
            services.create_household(
                current_user,
                organization.id,
                name=form.name.data,
                commune_code=picker.commune_code,
                street=picker.street,
                owner_name=form.owner_name.data,
                owner_password=form.owner_password.data,
                owner_phone=None if is_email(login) else login,
                owner_email=login if is_email(login) else None,
            )
        except FORM_ERRORS as error:
            show_errors(form, error, HOUSEHOLD_FIELDS, picker)
        else:
            flash(_("The household and its owner's account are created."), "success")
            return redirect(url_for("accounts.households"), code=303)
    return _households_page(organization, ExistingHouseholdForm(formdata=None), form, INVALID, picker)
