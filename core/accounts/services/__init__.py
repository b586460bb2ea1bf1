"""Account services: each checks who may act, does the work and commits once."""

from core.accounts.services.auth import authenticate, check_login_allowed, issue_token, list_tokens, revoke_token
from core.accounts.services.organizations import (
    HouseholdNotFound,
    actable_organizations,
    add_household,
    add_member,
    create_household,
    get_organization,
    grant,
    list_households,
    list_members,
    memberships_of,
    remove_member,
    role_of,
    set_verification,
    update_organization,
)
from core.accounts.services.signup import MIN_PASSWORD_LENGTH, SELF_SERVICE_KINDS, commune_name, create_account, list_users, sign_up

__all__ = [
    "HouseholdNotFound",
    "MIN_PASSWORD_LENGTH",
    "SELF_SERVICE_KINDS",
    "actable_organizations",
    "add_household",
    "add_member",
    "authenticate",
    "check_login_allowed",
    "commune_name",
    "create_account",
    "create_household",
    "get_organization",
    "grant",
    "issue_token",
    "list_households",
    "list_members",
    "list_tokens",
    "list_users",
    "memberships_of",
    "remove_member",
    "revoke_token",
    "role_of",
    "set_verification",
    "sign_up",
]
