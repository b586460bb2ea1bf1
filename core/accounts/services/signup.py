"""Creating accounts: self-service sign-up and the operator's command."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.accounts import messages
from core.accounts.logins import LoginError, normalize_email, normalize_phone
from core.accounts.models import Membership, Organization, OrganizationKind, Role, User
from core.errors import Conflict, ValidationError
from core.extensions import db
from core.security import hash_password

MIN_PASSWORD_LENGTH = 8
# Kinds anyone may choose; a department membership is granted by an administrator only.
SELF_SERVICE_KINDS = (
    OrganizationKind.HOUSEHOLD,
    OrganizationKind.COOPERATIVE,
    OrganizationKind.PROCESSOR,
    OrganizationKind.TRADER,
    OrganizationKind.BUYER,
)
_COMMUNE_RE = re.compile(r"^\d{5}$")


def _get_commune(code: str) -> Any:
    """The commune from core.geo, or ``True`` (format-only check) while core.geo has no lookup yet."""
    try:
        from core.geo.services import get_commune
    except ImportError:
        # core.geo is written alongside; until it offers get_commune, any 5-digit code is accepted.
        return True
    return get_commune(code)


def check_commune(code: str | None, errors: dict[str, list[str]], field: str) -> str | None:
    """``code`` trimmed (None when blank); adds a message under ``field`` when it is not a commune."""
    code = (code or "").strip()
    if not code:
        return None
    if not _COMMUNE_RE.match(code):
        errors.setdefault(field, []).append(messages.COMMUNE_INVALID)
    elif not _get_commune(code):
        errors.setdefault(field, []).append(messages.COMMUNE_UNKNOWN)
    return code


def check_text(value: str | None, errors: dict[str, list[str]], field: str, message: str, max_length: int = 200) -> str:
    text = " ".join((value or "").split())
    if not text:
        errors.setdefault(field, []).append(message)
    return text[:max_length]


def check_new_login(
    phone: str | None, email: str | None, errors: dict[str, list[str]], prefix: str = ""
) -> tuple[str | None, str | None]:
    """The normalized phone or email of a new user; refuses both, neither, bad ones and taken ones."""
    phone, email = (phone or "").strip() or None, (email or "").strip() or None
    if phone and email:
        errors.setdefault(prefix + "login", []).append(messages.LOGIN_BOTH)
        return None, None
    if not phone and not email:
        errors.setdefault(prefix + "login", []).append(messages.LOGIN_REQUIRED)
        return None, None
    try:
        if phone:
            phone = normalize_phone(phone)
        else:
            email = normalize_email(email or "")
    except LoginError as exc:
        errors.setdefault(prefix + ("phone" if phone else "email"), []).append(exc.args[0])
        return None, None
    return phone, email


def check_password(password: str | None, errors: dict[str, list[str]], field: str = "password") -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        errors.setdefault(field, []).append(messages.PASSWORD_TOO_SHORT)
    return password or ""


def ensure_login_free(phone: str | None, email: str | None, prefix: str = "") -> None:
    if phone and db.session.scalar(select(User.id).where(User.phone == phone)) is not None:
        raise Conflict(
            "An account with this phone number already exists.", errors={prefix + "phone": [messages.PHONE_TAKEN]}
        )
    if email and db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(
            "An account with this email address already exists.", errors={prefix + "email": [messages.EMAIL_TAKEN]}
        )


def commit_new_login(phone: str | None, email: str | None, prefix: str = "") -> None:
    """Commit; a concurrent sign-up that took the login first becomes the usual 409."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        ensure_login_free(phone, email, prefix)
        raise Conflict("This account could not be created; please try again.") from exc


def _create(
    *,
    name: str,
    password: str,
    phone: str | None,
    email: str | None,
    org_name: str,
    org_kind: OrganizationKind,
    commune_code: str | None,
    street: str | None = None,
    is_admin: bool = False,
) -> tuple[User, Organization]:
    user = User(phone=phone, email=email, name=name, password_hash=hash_password(password), is_admin=is_admin)
    organization = Organization(name=org_name, kind=org_kind, commune_code=commune_code, street=street)
    db.session.add_all([user, organization])
    db.session.flush()
    db.session.add(Membership(user_id=user.id, organization_id=organization.id, role=Role.OWNER))
    commit_new_login(phone, email)
    return user, organization


def sign_up(
    *,
    name: str,
    password: str,
    org_name: str,
    org_kind: str,
    phone: str | None = None,
    email: str | None = None,
    commune_code: str | None = None,
    street: str | None = None,
) -> tuple[User, Organization]:
    """A new user who owns a new organization of a self-service kind (one transaction)."""
    errors: dict[str, list[str]] = {}
    name = check_text(name, errors, "name", messages.NAME_REQUIRED)
    phone, email = check_new_login(phone, email, errors)
    password = check_password(password, errors)
    org_name = check_text(org_name, errors, "organization.name", messages.ORG_NAME_REQUIRED)
    kind = OrganizationKind(org_kind) if org_kind in {k.value for k in SELF_SERVICE_KINDS} else None
    if kind is None:
        errors.setdefault("organization.kind", []).append(messages.KIND_NOT_ALLOWED)
    commune_code = check_commune(commune_code, errors, "organization.commune_code")
    if errors:
        raise ValidationError("The sign-up has invalid fields; see errors.", errors=errors)
    ensure_login_free(phone, email)
    assert kind is not None
    street = " ".join((street or "").split())[:300] or None
    if street and not commune_code:
        errors.setdefault("organization.commune_code", []).append(messages.COMMUNE_FOR_STREET)
        raise ValidationError("The sign-up has invalid fields; see errors.", errors=errors)
    return _create(
        name=name,
        password=password,
        phone=phone,
        email=email,
        org_name=org_name,
        org_kind=kind,
        commune_code=commune_code,
        street=street,
    )


def create_account(
    *,
    password: str,
    org_kind: str,
    phone: str | None = None,
    email: str | None = None,
    name: str = "",
    org_name: str = "",
    commune_code: str | None = None,
    is_admin: bool = False,
) -> tuple[User, Organization]:
    """The operator's account creation: any kind, department included, optionally an administrator."""
    errors: dict[str, list[str]] = {}
    phone, email = check_new_login(phone, email, errors)
    password = check_password(password, errors)
    try:
        kind = OrganizationKind(org_kind)
    except ValueError:
        errors.setdefault("org_kind", []).append(
            messages.KIND_UNKNOWN(kinds=", ".join(k.value for k in OrganizationKind))
        )
        kind = OrganizationKind.HOUSEHOLD
    commune_code = check_commune(commune_code, errors, "commune_code")
    if errors:
        raise ValidationError("The account has invalid fields; see errors.", errors=errors)
    ensure_login_free(phone, email)
    login = phone or email or ""
    name = " ".join((name or "").split()) or login
    org_name = " ".join((org_name or "").split()) or name
    return _create(
        name=name[:200],
        password=password,
        phone=phone,
        email=email,
        org_name=org_name[:200],
        org_kind=kind,
        commune_code=commune_code,
        is_admin=is_admin,
    )


def list_users() -> list[tuple[User, list[tuple[Organization, Role]]]]:
    """Every user with their organizations, for the operator's ``accounts list``."""
    users = db.session.scalars(select(User).order_by(User.id)).all()
    rows = db.session.execute(
        select(Membership.user_id, Organization, Membership.role)
        .join(Organization, Organization.id == Membership.organization_id)
        .order_by(Organization.id)
    ).all()
    by_user: dict[int, list[tuple[Organization, Role]]] = {}
    for user_id, organization, role in rows:
        by_user.setdefault(user_id, []).append((organization, role))
    return [(user, by_user.get(user.id, [])) for user in users]


def commune_name(code: str | None) -> str | None:
    """The commune's name for display, when core.geo knows it."""
    if not code:
        return None
    commune = _get_commune(code)
    return getattr(commune, "name", None)
