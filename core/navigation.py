"""The site menu, by audience: each domain registers its links; base.html draws the ones for the reader.

A farmer's most used pages (lots, plots, a new harvest) sit in the menu row, a buyer's are the marketplace,
the cart and their orders, and a department officer sees the verification queues and recalls, never a
farmer's pages. Everything else goes under "More". Domains call ``register_menu_items`` from their
``init_app``; core never names a domain's endpoints.

The audience of a request is decided once, from the organization the user acts for (``audience_of``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import Flask, current_app, request, url_for

from core.accounts.models import OrganizationKind
from core.messages import N_

VISITOR = "visitor"
PRODUCER = "producer"  # households, co-ops, processors and traders: they record lots and sell them
BUYER = "buyer"
OFFICER = "officer"
SIGNED_IN = frozenset({PRODUCER, BUYER, OFFICER})
EVERYONE = SIGNED_IN | {VISITOR}
_EXTENSION = "nongsan.menu"
_LANDINGS = "nongsan.landing"


@dataclass(frozen=True)
class MenuItem:
    """One link: where it goes, its label (marked with ``N_``, translated where drawn) and who sees it.

    ``primary`` is the audiences for whom the link sits in the menu row rather than under "More";
    ``also_current`` names the endpoints (besides its own) on which the link is marked as the current page;
    ``admin_only`` links show only to administrators (the pages check it again).
    """

    endpoint: str
    label: str
    audiences: frozenset[str]
    primary: frozenset[str] = frozenset()
    order: int = 50
    also_current: tuple[str, ...] = ()
    # Only for the platform's administrators (User.is_admin), whatever organization they act for.
    admin_only: bool = False

    def is_current(self, endpoint: str | None) -> bool:
        return endpoint == self.endpoint or endpoint in self.also_current


def register_menu_items(app: Flask, *items: MenuItem) -> None:
    app.extensions.setdefault(_EXTENSION, []).extend(items)


def register_landing(app: Flask, audience: str, endpoint: str, *, welcome: str | None = None) -> None:
    """Where ``audience`` lands after signing in (``endpoint``) and after signing up (``welcome``, else the same)."""
    app.extensions.setdefault(_LANDINGS, {})[audience] = (endpoint, welcome or endpoint)


def landing_url(audience: str, *, welcome: bool = False) -> str:
    """The page ``audience`` starts from; the organization page when no domain registered one."""
    endpoint, first = current_app.extensions.get(_LANDINGS, {}).get(audience, ("accounts.organization",) * 2)
    return url_for(first if welcome else endpoint)


def audience_of(user, organization) -> str:
    """Who reads the page: a visitor, a department officer, a buyer or a producer, by the organization acted for
    (someone in a household and the department sees the farmer's menu while acting for the household)."""
    from core.accounts.permissions import is_department_officer

    if user is None or not user.is_authenticated:
        return VISITOR
    if organization is None:  # an admin or officer acting for no organization
        return OFFICER if is_department_officer(user) else PRODUCER
    if organization.kind == OrganizationKind.DEPARTMENT:
        return OFFICER
    return BUYER if organization.kind == OrganizationKind.BUYER else PRODUCER


def menu_for(
    audience: str, items: Iterable[MenuItem] | None = None, *, admin: bool = False
) -> tuple[list[MenuItem], list[MenuItem]]:
    """The registered links ``audience`` sees (an administrator also their own), split into the menu row and
    "More", each in menu order."""
    chosen = sorted(
        (
            item
            for item in (items if items is not None else _registered())
            if audience in item.audiences and (admin or not item.admin_only)
        ),
        key=lambda item: item.order,
    )
    row = [item for item in chosen if audience in item.primary]
    return row, [item for item in chosen if audience not in item.primary]


def _registered() -> list[MenuItem]:
    return [item for item in current_app.extensions.get(_EXTENSION, []) if item.endpoint in current_app.view_functions]


def menu_context() -> dict:
    """base.html's ``menu``: the reader's audience, the row and the "More" links, for this request."""
    from flask_login import current_user

    from core.accounts.current import current_organization

    audience = audience_of(current_user, current_organization())
    row, more = menu_for(audience, admin=bool(getattr(current_user, "is_admin", False)))
    return {"audience": audience, "row": row, "more": more, "endpoint": request.endpoint}


CORE_ITEMS = (
    MenuItem("core.home", N_("Home"), EVERYONE, primary=EVERYONE, order=0),
    MenuItem("accounts.sign_in", N_("Sign in"), frozenset({VISITOR}), primary=frozenset({VISITOR}), order=80),
    MenuItem("accounts.sign_up", N_("Sign up"), frozenset({VISITOR}), order=81),
    MenuItem(
        "department.organizations",
        N_("Organizations"),
        frozenset({OFFICER}),
        primary=frozenset({OFFICER}),
        order=10,
        also_current=("department.organization_review",),
    ),
    MenuItem("audit.log", N_("Audit log"), frozenset({OFFICER}), order=60),
    MenuItem(
        "accounts.organization",
        N_("My organization"),
        SIGNED_IN,
        order=90,
        also_current=("accounts.members", "accounts.households"),
    ),
)
