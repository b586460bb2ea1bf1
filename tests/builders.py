"""Builders for test data. They write through the models, as a seeded database would hold it."""

from __future__ import annotations

import itertools

from core.accounts.models import ApiToken, CooperativeMember, Membership, Organization, OrganizationKind, Role, User
from core.extensions import db
from core.security import hash_password, new_token

_counter = itertools.count(1)
PASSWORD = "correct horse battery"


def make_user(
    *,
    phone: str | None = None,
    email: str | None = None,
    name: str = "Nguyễn Văn A",
    password: str = PASSWORD,
    is_admin: bool = False,
) -> User:
    if phone is None and email is None:
        phone = f"+8491{next(_counter):07d}"
    user = User(phone=phone, email=email, name=name, password_hash=hash_password(password), is_admin=is_admin)
    db.session.add(user)
    db.session.commit()
    return user


def make_org(
    kind: OrganizationKind | str = OrganizationKind.HOUSEHOLD,
    *,
    name: str | None = None,
    commune_code: str | None = "25270",
    owner: User | None = None,
    role: Role = Role.OWNER,
) -> Organization:
    organization = Organization(
        name=name or f"Tổ chức {next(_counter)}", kind=OrganizationKind(kind), commune_code=commune_code
    )
    db.session.add(organization)
    db.session.flush()
    if owner is not None:
        db.session.add(Membership(user_id=owner.id, organization_id=organization.id, role=role))
    db.session.commit()
    return organization


def add_member(organization: Organization, user: User, role: Role = Role.MEMBER) -> Membership:
    membership = Membership(user_id=user.id, organization_id=organization.id, role=role)
    db.session.add(membership)
    db.session.commit()
    return membership


def join_cooperative(cooperative: Organization, household: Organization) -> None:
    db.session.add(CooperativeMember(cooperative_id=cooperative.id, household_id=household.id))
    db.session.commit()


def make_token(user: User) -> str:
    token, digest = new_token()
    db.session.add(ApiToken(user_id=user.id, name="test", token_hash=digest, prefix=token[:8]))
    db.session.commit()
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
