"""Who may act for which organization. Every service asks here before it reads or writes."""

from __future__ import annotations

from collections.abc import Iterable

from flask import has_request_context, request
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from core.accounts.models import CooperativeMember, Membership, Organization, OrganizationKind, Role, User
from core.errors import NotFound, PermissionDenied
from core.extensions import db

MANAGING_ROLES = (Role.OWNER, Role.MANAGER)


# The caller's memberships, read once per request: kept on the request itself (as ``core.security.api_user``
# keeps its user), since ``g`` belongs to the app context, which an outer context (a CLI command, a test) may share
# across several requests. A flush that adds, changes or removes a membership, a co-op member or an organization
# forgets them, so a request that changes who acts for what reads them again.
_MEMO = "nongsan.memberships"
_MEMBERSHIP_MODELS = (Membership, CooperativeMember, Organization)


def _memo() -> dict[int, dict] | None:
    return request.environ.setdefault(_MEMO, {}) if has_request_context() else None


@event.listens_for(Session, "after_flush")
def _forget_memberships(session, _flush_context) -> None:
    if not has_request_context() or _MEMO not in request.environ:
        return
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(instance, _MEMBERSHIP_MODELS) for instance in changed):
        request.environ.pop(_MEMO, None)


def _memberships(user: User) -> dict:
    """``rows``: the user's (organization id, role, kind), oldest membership first; ``households``: those of the
    co-ops they manage, filled when first asked. Once per request (see ``_MEMO``)."""
    memo = _memo()
    if memo is not None and user.id in memo:
        return memo[user.id]
    rows = db.session.execute(
        select(Membership.role, Organization)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.id)
    ).all()
    # The organizations are held too, so that the session's identity map (weak) still has them: the caller who
    # acts for one of them (checkout's buyer) gets it without another round trip.
    organizations = [organization for _role, organization in rows]
    found = {
        "rows": [(organization.id, role, organization.kind) for role, organization in rows],
        "households": None,
        "organizations": organizations,
    }
    if memo is not None:
        memo[user.id] = found
    return found


def first_organization_id(user: User) -> int | None:
    """The organization of the user's oldest membership (None when they have none)."""
    rows = _memberships(user)["rows"]
    return rows[0][0] if rows else None


def actable_organization_ids(user: User, roles: Iterable[Role] | None = None) -> set[int]:
    """Organizations ``user`` may act for: their own (in ``roles``), and households of co-ops they manage."""
    wanted = set(roles) if roles is not None else set(Role)
    found = _memberships(user)
    rows = found["rows"]
    ids = {org_id for org_id, role, _kind in rows if role in wanted}
    managed_coops = [
        org_id for org_id, role, kind in rows if kind == OrganizationKind.COOPERATIVE and role in MANAGING_ROLES
    ]
    if managed_coops:
        if found["households"] is None:
            found["households"] = set(
                db.session.scalars(
                    select(CooperativeMember.household_id).where(CooperativeMember.cooperative_id.in_(managed_coops))
                )
            )
        ids.update(found["households"])
    return ids


def can_act_for(user: User | None, organization_id: int, roles: Iterable[Role] | None = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return organization_id in actable_organization_ids(user, roles)


def require_act_for(user: User | None, organization_id: int, roles: Iterable[Role] | None = None) -> Organization:
    """The organization, if ``user`` may act for it in ``roles``.

    Someone with no tie to the organization learns nothing about it (404); a
    member whose role is too low is told so (403).
    """
    organization = db.session.get(Organization, organization_id)
    if organization is None or user is None:
        raise NotFound("Organization not found.")
    if can_act_for(user, organization_id, roles):
        return organization
    if can_act_for(user, organization_id):
        raise PermissionDenied("Your role in this organization does not allow this.")
    raise NotFound("Organization not found.")


def is_department_officer(user: User | None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    return (
        db.session.scalar(
            select(Membership.id)
            .join(Organization, Organization.id == Membership.organization_id)
            .where(Membership.user_id == user.id, Organization.kind == OrganizationKind.DEPARTMENT)
            .limit(1)
        )
        is not None
    )


def department_id_of(user: User) -> int | None:
    """The department organization ``user`` is a member of (None for everyone else, administrators included)."""
    return db.session.scalar(
        select(Membership.organization_id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(Membership.user_id == user.id, Organization.kind == OrganizationKind.DEPARTMENT)
        .order_by(Membership.organization_id)
        .limit(1)
    )


def require_department_officer(user: User | None) -> None:
    if not is_department_officer(user):
        raise PermissionDenied("Only officers of the Department of Agriculture and Environment may do this.")
