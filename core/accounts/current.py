"""The organization a signed-in page user is acting for, kept in the session.

Other domains' pages call ``current_organization()``; it never returns an
organization the user may no longer act for (a membership removed meanwhile).
"""

from __future__ import annotations

from flask import abort, session
from flask_login import current_user

from core.accounts.models import Organization
from core.accounts.permissions import actable_organization_ids, is_department_officer
from core.accounts.services import memberships_of
from core.extensions import db

SESSION_KEY = "organization_id"


def current_organization() -> Organization | None:
    if not current_user.is_authenticated:
        return None
    chosen = session.get(SESSION_KEY)
    if isinstance(chosen, int) and chosen in actable_organization_ids(current_user):
        return db.session.get(Organization, chosen)
    memberships = memberships_of(current_user)
    if not memberships:
        return None
    session[SESSION_KEY] = memberships[0].organization_id
    return memberships[0].organization


def organization_or_404() -> Organization:
    """The organization a page acts for; 404 for a user who acts for none (the page has nothing to show them)."""
    organization = current_organization()
    if organization is None:
        abort(404)
    return organization


def officer_or_403() -> None:
    """A department page: 403 for anyone but an officer (the services check the role again)."""
    if not is_department_officer(current_user):
        abort(403)


def admin_or_403() -> None:
    """A platform administrator's page: 403 for anyone else, department officers included (services check again)."""
    if not (current_user.is_authenticated and current_user.is_admin):
        abort(403)


def choose_organization(organization_id: int) -> bool:
    """Switch to ``organization_id`` if the user may act for it; False (nothing changes) otherwise."""
    if not current_user.is_authenticated or organization_id not in actable_organization_ids(current_user):
        return False
    session[SESSION_KEY] = organization_id
    return True
