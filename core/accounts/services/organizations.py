"""Organization profiles, members, co-op households, verification and admin grants."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from core import audit
from core.accounts import messages
from core.accounts.documents import OrganizationDocument, documents_of
from core.accounts.logins import LoginError, normalize_login
from core.accounts.models import CooperativeMember, Membership, Organization, OrganizationKind, Role, User
from core.accounts.permissions import (
    MANAGING_ROLES,
    actable_organization_ids,
    can_act_for,
    is_department_officer,
    require_act_for,
    require_department_officer,
)
from core.accounts.services.signup import (
    check_commune,
    check_new_login,
    check_password,
    check_text,
    commit_new_login,
    ensure_login_free,
)
from core.audit.models import AuditEntry
from core.db import utcnow
from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.extensions import db
from core.messages import N_
from core.security import hash_password


class HouseholdNotFound(NotFound):
    """No household with that id that the caller manages."""


def _role_in(user: User, organization_id: int) -> Role | None:
    """The user's own role in the organization (None when not a member)."""
    return db.session.scalar(
        select(Membership.role).where(Membership.user_id == user.id, Membership.organization_id == organization_id)
    )


role_of = _role_in


def memberships_of(user: User) -> list[Membership]:
    """The user's own memberships, with their organizations, oldest first."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Organization, Organization.id == Membership.organization_id)
            .where(Membership.user_id == user.id)
            .order_by(Membership.id)
        )
    )


def actable_organizations(user: User) -> list[Organization]:
    """Organizations the user may act for (their own and their co-ops' households), for the switcher."""
    ids = actable_organization_ids(user)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Organization).where(Organization.id.in_(ids)).order_by(Organization.name, Organization.id)
        )
    )


def get_organization(user: User | None, organization_id: int) -> Organization:
    """An organization its members, its co-op's managers, department officers and admins may see; else ``NotFound``."""
    organization = db.session.get(Organization, organization_id)
    if organization is None or user is None:
        raise NotFound("Organization not found.")
    if can_act_for(user, organization_id) or is_department_officer(user):
        return organization
    raise NotFound("Organization not found.")


def _gs1_check_digit(body: str) -> int:
    """The GS1 mod-10 check digit of the digits before it (the same for GLN, GTIN and SSCC)."""
    total = sum(int(digit) * (3 if i % 2 == 0 else 1) for i, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def check_gln(gln: str, organization_id: int, errors: dict[str, list[str]]) -> str | None:
    """A GLN as stored (None when blank): 13 digits, the check digit right, no other organization using it."""
    gln = "".join(gln.split())
    if not gln:
        return None
    if len(gln) != 13 or not gln.isdigit() or int(gln[-1]) != _gs1_check_digit(gln[:-1]):
        errors.setdefault("gln", []).append(messages.GLN_INVALID)
        return None
    taken = db.session.scalar(
        select(Organization.id).where(Organization.gln == gln, Organization.id != organization_id)
    )
    if taken is not None:
        errors.setdefault("gln", []).append(messages.GLN_TAKEN)
    return gln


def update_organization(
    user: User,
    organization_id: int,
    *,
    name: str | None = None,
    street: str | None = None,
    commune_code: str | None = None,
    gln: str | None = None,
) -> Organization:
    """Change the name, street, commune or GLN (owners and managers; None leaves a field as it is)."""
    organization = require_act_for(user, organization_id, MANAGING_ROLES)
    errors: dict[str, list[str]] = {}
    if name is not None:
        name = check_text(name, errors, "name", messages.ORG_NAME_REQUIRED)
    # None leaves the commune as it is; a blank code clears it.
    new_commune = (
        check_commune(commune_code, errors, "commune_code") if commune_code is not None else organization.commune_code
    )
    new_gln = check_gln(gln, organization.id, errors) if gln is not None else organization.gln
    if errors:
        raise ValidationError("The organization has invalid fields; see errors.", errors=errors)
    organization.gln = new_gln
    if name is not None:
        organization.name = name
    if street is not None:
        organization.street = " ".join(street.split())[:300] or None
    organization.commune_code = new_commune
    if organization.rejection_reason is not None:
        # The producer answered the rejection: the organization waits for the department's review again.
        organization.rejection_reason = None
        audit.record(user, RESUBMITTED, organization, details=_facts(organization), organization_id=organization.id)
    db.session.commit()
    return organization


def list_members(user: User, organization_id: int) -> list[Membership]:
    get_organization(user, organization_id)
    return list(
        db.session.scalars(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.organization_id == organization_id)
            .order_by(Membership.id)
        )
    )


def add_member(user: User, organization_id: int, login: str, role: str = Role.MEMBER) -> Membership:
    """Add an existing user by phone or email (owners and managers; only owners grant owner)."""
    organization = require_act_for(user, organization_id, MANAGING_ROLES)
    if organization.kind == OrganizationKind.DEPARTMENT and not user.is_admin:
        raise PermissionDenied(messages.DEPARTMENT_BY_ADMIN)
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError("The role is not valid.", errors={"role": [messages.ROLE_INVALID]}) from None
    if role == Role.OWNER and _role_in(user, organization_id) != Role.OWNER:
        raise PermissionDenied(messages.ONLY_OWNER_GRANTS_OWNER)
    try:
        stored = normalize_login(login)
    except LoginError as exc:
        raise ValidationError(
            "The login is not a valid phone number or email.", errors={"login": [exc.args[0]]}
        ) from None
    column = User.email if "@" in stored else User.phone
    member = db.session.scalar(select(User).where(column == stored, User.is_active.is_(True)))
    if member is None:
        raise ValidationError("No account uses this login.", errors={"login": [messages.USER_UNKNOWN]})
    if _role_in(member, organization_id) is not None:
        raise Conflict("This person is already a member.", errors={"login": [messages.ALREADY_MEMBER]})
    membership = Membership(user_id=member.id, organization_id=organization_id, role=role)
    db.session.add(membership)
    _audit_role(user, MEMBER_ADDED, member, organization, None, role)
    db.session.commit()
    return membership


def remove_member(user: User, organization_id: int, member_id: int) -> None:
    """Remove a member (owners only); the last owner stays."""
    organization = require_act_for(user, organization_id, MANAGING_ROLES)
    if _role_in(user, organization.id) != Role.OWNER and not user.is_admin:
        raise PermissionDenied("Only an owner can remove members.")
    membership = db.session.scalar(
        select(Membership).where(Membership.organization_id == organization_id, Membership.user_id == member_id)
    )
    if membership is None:
        raise NotFound("Member not found.")
    if membership.role == Role.OWNER:
        owners = db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.organization_id == organization_id, Membership.role == Role.OWNER
            )
        )
        if owners <= 1:
            raise Conflict(messages.LAST_OWNER)
    _audit_role(user, MEMBER_REMOVED, db.session.get(User, member_id), organization, membership.role, None)
    db.session.delete(membership)
    db.session.commit()


def _require_cooperative(user: User, organization_id: int, roles=None) -> Organization:
    organization = require_act_for(user, organization_id, roles) if roles else get_organization(user, organization_id)
    if organization.kind != OrganizationKind.COOPERATIVE:
        raise NotFound(messages.NOT_A_COOPERATIVE)
    return organization


def list_households(user: User, cooperative_id: int) -> list[Organization]:
    _require_cooperative(user, cooperative_id)
    return list(
        db.session.scalars(
            select(Organization)
            .join(CooperativeMember, CooperativeMember.household_id == Organization.id)
            .where(CooperativeMember.cooperative_id == cooperative_id)
            .order_by(Organization.name, Organization.id)
        )
    )


def _managed_directly(user: User, organization_id: int) -> bool:
    return user.is_admin or _role_in(user, organization_id) in MANAGING_ROLES


def add_household(user: User, cooperative_id: int, household_id: int) -> Organization:
    """Add an existing household to the co-op (co-op owners and managers).

    The household must agree: the caller must also be an owner or manager of the
    household itself (its owner can add the co-op manager as a manager first).
    Otherwise anyone could claim a stranger's farm and act for it.
    """
    cooperative = _require_cooperative(user, cooperative_id, MANAGING_ROLES)
    household = db.session.get(Organization, household_id)
    if household is None or not _managed_directly(user, household_id):
        raise HouseholdNotFound("Household not found.", errors={"household_id": [messages.HOUSEHOLD_UNKNOWN]})
    if household.kind != OrganizationKind.HOUSEHOLD:
        raise ValidationError(
            "This organization is not a household.", errors={"household_id": [messages.NOT_A_HOUSEHOLD]}
        )
    exists = db.session.scalar(
        select(CooperativeMember.id).where(
            CooperativeMember.cooperative_id == cooperative.id, CooperativeMember.household_id == household.id
        )
    )
    if exists is not None:
        raise Conflict(
            "This household is already a member.", errors={"household_id": [messages.HOUSEHOLD_ALREADY_MEMBER]}
        )
    db.session.add(CooperativeMember(cooperative_id=cooperative.id, household_id=household.id))
    db.session.commit()
    return household


def create_household(
    user: User,
    cooperative_id: int,
    *,
    name: str,
    owner_name: str,
    owner_password: str,
    owner_phone: str | None = None,
    owner_email: str | None = None,
    commune_code: str | None = None,
    street: str | None = None,
) -> tuple[Organization, User]:
    """A new household, its owner's new account and its co-op membership, in one transaction."""
    cooperative = _require_cooperative(user, cooperative_id, MANAGING_ROLES)
    errors: dict[str, list[str]] = {}
    name = check_text(name, errors, "name", messages.ORG_NAME_REQUIRED)
    owner_name = check_text(owner_name, errors, "owner.name", messages.NAME_REQUIRED)
    phone, email = check_new_login(owner_phone, owner_email, errors, prefix="owner.")
    owner_password = check_password(owner_password, errors, "owner.password")
    commune_code = check_commune(commune_code, errors, "commune_code")
    if errors:
        raise ValidationError("The household has invalid fields; see errors.", errors=errors)
    ensure_login_free(phone, email, prefix="owner.")
    owner = User(phone=phone, email=email, name=owner_name, password_hash=hash_password(owner_password))
    household = Organization(
        name=name,
        kind=OrganizationKind.HOUSEHOLD,
        commune_code=commune_code or cooperative.commune_code,
        street=" ".join((street or "").split()) or None,
    )
    db.session.add_all([owner, household])
    db.session.flush()
    db.session.add_all(
        [
            Membership(user_id=owner.id, organization_id=household.id, role=Role.OWNER),
            CooperativeMember(cooperative_id=cooperative.id, household_id=household.id),
        ]
    )
    commit_new_login(phone, email, prefix="owner.")
    return household, owner


# Role changes, in the audit log with the role before and after.
MEMBER_ADDED = "membership.added"
MEMBER_REMOVED = "membership.removed"
ROLE_GRANTED = "membership.granted"
VERIFIED = "organization.verified"
REJECTED = "organization.rejected"
WITHDRAWN = "organization.verification_withdrawn"
RESUBMITTED = "organization.resubmitted"
AUDIT_ACTIONS = {
    MEMBER_ADDED: N_("Member added"),
    MEMBER_REMOVED: N_("Member removed"),
    ROLE_GRANTED: N_("Role granted"),
    VERIFIED: N_("Organization verified"),
    REJECTED: N_("Organization rejected"),
    WITHDRAWN: N_("Organization's verification withdrawn"),
    RESUBMITTED: N_("Organization updated after a rejection"),
}


def _facts(organization: Organization) -> dict:
    """What the audit log keeps of the organization as it was decided on."""
    return {"name": organization.name, "kind": organization.kind.value, "tax_code": organization.tax_code}


def _under_review(user: User, organization_id: int) -> Organization:
    """The organization an officer decides on: 403 for its own people, 404 for strangers (they learn nothing of
    it), for the department itself and for none."""
    organization = get_organization(user, organization_id)
    require_department_officer(user)
    if organization.kind == OrganizationKind.DEPARTMENT:
        raise NotFound("Organization not found.")
    return organization


def _reviewed(user: User, organization: Organization, action: str, reason: str | None = None) -> Organization:
    organization.reviewed_at = utcnow()
    organization.reviewed_by_id = user.id
    audit.record(user, action, organization, reason=reason, details=_facts(organization))
    db.session.commit()
    return organization


def verify_organization(user: User, organization_id: int) -> Organization:
    """Mark the organization verified (department officers); verifying it again changes and records nothing."""
    organization = _under_review(user, organization_id)
    if organization.is_verified:
        return organization
    organization.verified_at = utcnow()
    organization.verified_by_id = user.id
    organization.rejection_reason = None
    return _reviewed(user, organization, VERIFIED)


def reject_organization(user: User, organization_id: int, reason: str | None) -> Organization:
    """Reject the organization with a reason its people see (department officers); a verified one loses the mark."""
    organization = _under_review(user, organization_id)
    reason = " ".join((reason or "").split()) or None
    if reason is None:
        raise ValidationError(
            messages.REJECTION_NEEDS_REASON, errors={"reason": [messages.ORGANIZATION_REJECTION_REASON]}
        )
    organization.verified_at = None
    organization.verified_by_id = None
    organization.rejection_reason = reason
    return _reviewed(user, organization, REJECTED, reason)


def withdraw_verification(user: User, organization_id: int, reason: str | None = None) -> Organization:
    """Take the verified mark away (department officers): the organization waits for review again.

    Withdrawing from an organization that is not verified changes and records nothing.
    """
    organization = _under_review(user, organization_id)
    if not organization.is_verified:
        return organization
    organization.verified_at = None
    organization.verified_by_id = None
    return _reviewed(user, organization, WITHDRAWN, " ".join((reason or "").split()) or None)


@dataclass(frozen=True)
class VerificationQueue:
    waiting: list[Organization]
    rejected: list[Organization]
    verified: list[Organization]


def verification_queue(user: User, *, limit: int = 50) -> VerificationQueue:
    """For department officers: organizations waiting for review (oldest first), the latest rejected and the
    latest verified ones."""
    require_department_officer(user)
    producers = select(Organization).where(Organization.kind != OrganizationKind.DEPARTMENT)
    not_verified = producers.where(Organization.verified_at.is_(None))
    waiting = db.session.scalars(
        not_verified.where(Organization.rejection_reason.is_(None))
        .order_by(Organization.created_at, Organization.id)
        .limit(limit)
    ).all()
    rejected = db.session.scalars(
        not_verified.where(Organization.rejection_reason.is_not(None))
        .order_by(Organization.reviewed_at.desc(), Organization.id.desc())
        .limit(limit)
    ).all()
    verified = db.session.scalars(
        producers.where(Organization.verified_at.is_not(None)).order_by(Organization.verified_at.desc()).limit(limit)
    ).all()
    return VerificationQueue(list(waiting), list(rejected), list(verified))


@dataclass(frozen=True)
class OrganizationReview:
    """What an officer reads before deciding: the organization, its documents and what was decided before."""

    organization: Organization
    documents: list[OrganizationDocument]
    history: list[AuditEntry]
    people: dict[int, str]


def organization_review(user: User, organization_id: int) -> OrganizationReview:
    """For department officers: the organization, the documents its domains hold for it, and its audit log."""
    organization = _under_review(user, organization_id)
    history = audit.entries_about("organization", organization.id)
    ids = {entry.actor_id for entry in history}
    people = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    return OrganizationReview(organization, documents_of(organization.id), history, people)


def grant(
    admin: User, user_id: int, *, organization_id: int | None = None, role: str | None = None, make_admin: bool = False
) -> User:
    """The administrator's grant: a membership in any organization (department included) or admin rights."""
    if not admin.is_admin:
        raise PermissionDenied("Only an administrator may grant roles.")
    target = db.session.get(User, user_id)
    if target is None:
        raise NotFound("User not found.")
    if make_admin and not target.is_admin:
        target.is_admin = True
        audit.record(admin, ROLE_GRANTED, target, details={"name": target.name, "admin": True}, organization_id=None)
    if organization_id is not None:
        organization = db.session.get(Organization, organization_id)
        if organization is None:
            raise ValidationError(
                "No such organization.", errors={"organization_id": ["No organization with this id."]}
            )
        try:
            granted = Role(role or Role.MEMBER)
        except ValueError:
            raise ValidationError("The role is not valid.", errors={"role": [messages.ROLE_INVALID]}) from None
        membership = db.session.scalar(
            select(Membership).where(Membership.user_id == target.id, Membership.organization_id == organization.id)
        )
        before = membership.role if membership is not None else None
        if membership is None:
            db.session.add(Membership(user_id=target.id, organization_id=organization.id, role=granted))
        else:
            membership.role = granted
        if before != granted:
            _audit_role(admin, ROLE_GRANTED, target, organization, before, granted)
    db.session.commit()
    return target


def _audit_role(actor: User, action: str, member: User, organization: Organization, before, after) -> None:
    audit.record(
        actor,
        action,
        member,
        details={
            "name": member.name,
            "organization_id": organization.id,
            "organization_name": organization.name,
            "role_before": before.value if before is not None else None,
            "role": after.value if after is not None else None,
        },
        organization_id=organization.id,
    )
