"""The public organization directory: what a signed-in user may learn of another organization to pick it.

Only the id, name, kind and commune are given, never the street, tax code,
members or verification details. Households are left out (their name is a
person's name, and they are not where lots are shipped to) and so is the
department (it reads lots, it never holds them): the directory lists
cooperatives, processors, traders and buyers.

Names are matched the way people type on a phone: case and Vietnamese
diacritics do not matter ("xuong dieu" finds "Xưởng điều Lộc Ninh"). No
portable SQL folds diacritics (SQLite's LIKE folds ASCII only), so the names are
compared in Python; the directory holds businesses, not the province's
households, so the scan stays small.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from core.accounts.models import Organization, OrganizationKind
from core.extensions import db
from core.geo.names import fold
from core.geo.services import get_commune

PUBLIC_KINDS = (
    OrganizationKind.COOPERATIVE,
    OrganizationKind.PROCESSOR,
    OrganizationKind.TRADER,
    OrganizationKind.BUYER,
)
MIN_QUERY_LENGTH = 2
DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class PublicOrganization:
    id: int
    name: str
    kind: str
    commune_code: str | None
    commune_name: str | None


def _public(organization_id: int, name: str, kind: OrganizationKind, commune_code: str | None) -> PublicOrganization:
    commune = get_commune(commune_code) if commune_code else None
    return PublicOrganization(organization_id, name, kind.value, commune_code, commune.name if commune else None)


def search_organizations(
    query: str | None, *, exclude_ids: Iterable[int] = (), limit: int = DEFAULT_LIMIT
) -> list[PublicOrganization]:
    """Organizations whose name holds every word of ``query`` (at least 2 letters), names starting with it first."""
    words = fold(query or "").split()
    if len("".join(words)) < MIN_QUERY_LENGTH:
        return []
    excluded = set(exclude_ids)
    rows = db.session.execute(
        select(Organization.id, Organization.name, Organization.kind, Organization.commune_code).where(
            Organization.kind.in_(PUBLIC_KINDS)
        )
    ).all()
    phrase = " ".join(words)
    found = []
    for row in rows:
        folded = fold(row.name)
        if row.id not in excluded and all(word in folded for word in words):
            found.append((not folded.startswith(phrase), folded, row))
    found.sort(key=lambda item: (item[0], item[1], item[2].id))
    return [_public(row.id, row.name, row.kind, row.commune_code) for _later, _folded, row in found[:limit]]


def public_organization(organization_id: int | None) -> PublicOrganization | None:
    """The directory entry of ``organization_id``; None when there is none (or it is not listed)."""
    if organization_id is None:
        return None
    row = db.session.execute(
        select(Organization.id, Organization.name, Organization.kind, Organization.commune_code).where(
            Organization.id == organization_id, Organization.kind.in_(PUBLIC_KINDS)
        )
    ).first()
    return _public(row.id, row.name, row.kind, row.commune_code) if row else None


def organization_names(ids: Iterable[int]) -> dict[int, str]:
    """{organization id: name} for ``ids`` (unknown ids are absent), in one query; names are public."""
    ids = set(ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(ids)))
    return dict(rows.all())


def verified_ids(ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` the department has verified, in one query; the verified mark is public."""
    ids = set(ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Organization.id).where(Organization.id.in_(ids), Organization.verified_at.is_not(None))
        )
    )
