from types import SimpleNamespace

import pytest
from sqlalchemy import select

from core.accounts.models import CooperativeMember, Membership, Organization, Role, User
from core.accounts.permissions import can_act_for
from core.extensions import db
from tests.builders import PASSWORD, add_member, bearer, join_cooperative, make_org, make_token, make_user
from tests.integration.core.accounts.helpers import Seed


@pytest.fixture
def world(app):
    """A co-op with an owner, a plain member and a member household; a stranger; an officer; an admin."""

    def build():
        alice, carol, hank, bob, dora, root = (
            make_user(phone="+84911000001", name="Alice"),
            make_user(phone="+84911000002", name="Carol"),
            make_user(phone="+84911000003", name="Hank"),
            make_user(phone="+84911000004", name="Bob"),
            make_user(phone="+84911000005", name="Dora"),
            make_user(phone="+84911000006", name="Root", is_admin=True),
        )
        coop = make_org("cooperative", name="HTX Điều Lộc Ninh", owner=alice)
        add_member(coop, carol)
        household = make_org("household", name="Hộ Hank", owner=hank)
        join_cooperative(coop, household)
        strangers = make_org("trader", name="Bob Trading", owner=bob)
        bobs_farm = make_org("household", name="Hộ Bob", owner=bob)
        department = make_org("department", name="Sở NN&MT Đồng Nai", owner=dora)
        tokens = {
            name: make_token(user)
            for name, user in {
                "alice": alice,
                "carol": carol,
                "hank": hank,
                "bob": bob,
                "dora": dora,
                "root": root,
            }.items()
        }
        ids = dict(
            coop=coop.id,
            household=household.id,
            strangers=strangers.id,
            bobs_farm=bobs_farm.id,
            department=department.id,
            alice=alice.id,
            carol=carol.id,
            hank=hank.id,
            bob=bob.id,
            dora=dora.id,
            root=root.id,
        )
        return SimpleNamespace(**ids, t=SimpleNamespace(**{k: bearer(v) for k, v in tokens.items()}))

    return Seed(app)(build)


def test_another_organizations_user_gets_404_and_no_data_on_every_endpoint(app, client, world):
    coop = f"/api/v1/organizations/{world.coop}"
    calls = [
        client.get(coop, headers=world.t.bob),
        client.patch(coop, json={"name": "Mine now"}, headers=world.t.bob),
        client.get(coop + "/members", headers=world.t.bob),
        client.post(coop + "/members", json={"login": "0911000004", "role": "owner"}, headers=world.t.bob),
        client.delete(coop + f"/members/{world.alice}", headers=world.t.bob),
        client.get(coop + "/households", headers=world.t.bob),
        client.post(coop + "/households", json={"household_id": world.bobs_farm}, headers=world.t.bob),
        client.post(coop + "/verification", headers=world.t.bob),
        client.delete(coop + "/verification", headers=world.t.bob),
        client.get(f"/api/v1/organizations/{world.household}", headers=world.t.bob),
    ]
    for response in calls:
        assert response.status_code == 404, response.request.path
        text = response.get_data(as_text=True)
        assert "HTX" not in text and "Alice" not in text and "+84911000001" not in text
    grant = client.post(f"/api/v1/admin/users/{world.bob}/grants", json={"admin": True}, headers=world.t.bob)
    assert grant.status_code == 403
    with app.app_context():
        assert db.session.get(Organization, world.coop).name == "HTX Điều Lộc Ninh"
        assert (
            db.session.scalar(
                select(Membership).where(Membership.user_id == world.bob, Membership.organization_id == world.coop)
            )
            is None
        )
        assert (
            db.session.scalar(select(CooperativeMember).where(CooperativeMember.household_id == world.bobs_farm))
            is None
        )
        assert not db.session.get(User, world.bob).is_admin


def test_members_see_their_organization_but_only_owners_and_managers_change_it(app, client, world):
    coop = f"/api/v1/organizations/{world.coop}"
    assert client.get(coop, headers=world.t.carol).get_json()["name"] == "HTX Điều Lộc Ninh"
    members = client.get(coop + "/members", headers=world.t.carol).get_json()
    assert sorted((m["name"], m["role"]) for m in members) == [("Alice", "owner"), ("Carol", "member")]
    assert client.patch(coop, json={"name": "Carol's"}, headers=world.t.carol).status_code == 403
    assert client.post(coop + "/members", json={"login": "0911000004"}, headers=world.t.carol).status_code == 403
    changed = client.patch(
        coop, json={"name": "HTX Điều Lộc Ninh 2", "street": "Ấp 3", "commune_code": "25270"}, headers=world.t.alice
    )
    assert changed.status_code == 200
    assert changed.get_json() | {"id": 0} == changed.get_json() | {
        "id": 0,
        "name": "HTX Điều Lộc Ninh 2",
        "street": "Ấp 3",
        "commune_code": "25270",
    }
    assert client.patch(coop, json={"commune_code": "12ab"}, headers=world.t.alice).status_code == 422


def test_managers_add_members_but_only_owners_grant_owner_or_remove(app, client, world):
    coop = f"/api/v1/organizations/{world.coop}/members"
    made = client.post(coop, json={"login": "0911 000 004", "role": "manager"}, headers=world.t.alice)
    assert made.status_code == 201 and made.get_json()["role"] == "manager"
    # Bob is now a manager: he may add a member, but not an owner, and may not remove anyone.
    assert client.post(coop, json={"login": "+84911000003", "role": "owner"}, headers=world.t.bob).status_code == 403
    assert client.post(coop, json={"login": "+84911000003"}, headers=world.t.bob).status_code == 201
    assert client.post(coop, json={"login": "+84911000003"}, headers=world.t.bob).status_code == 409
    unknown = client.post(coop, json={"login": "0900000001"}, headers=world.t.bob)
    assert unknown.status_code == 422 and "login" in unknown.get_json()["errors"]
    assert client.delete(coop + f"/{world.carol}", headers=world.t.bob).status_code == 403
    assert client.delete(coop + f"/{world.carol}", headers=world.t.alice).status_code == 204
    assert client.delete(coop + f"/{world.alice}", headers=world.t.alice).status_code == 409  # the last owner stays
    assert client.get(f"/api/v1/organizations/{world.coop}", headers=world.t.carol).status_code == 404


def test_coop_manager_acts_for_member_households_but_a_plain_member_does_not(app, client, world):
    household = f"/api/v1/organizations/{world.household}"
    assert client.get(household, headers=world.t.alice).status_code == 200
    assert client.patch(household, json={"street": "Ấp 5"}, headers=world.t.alice).status_code == 200
    assert client.get(household, headers=world.t.carol).status_code == 404
    assert client.patch(household, json={"street": "x"}, headers=world.t.carol).status_code == 404
    with app.app_context():
        alice, carol = db.session.get(User, world.alice), db.session.get(User, world.carol)
        assert can_act_for(alice, world.household) and not can_act_for(carol, world.household)
        assert not can_act_for(alice, world.bobs_farm)
        assert db.session.get(Organization, world.household).street == "Ấp 5"


def test_coop_managers_list_add_and_create_households(app, client, world):
    households = f"/api/v1/organizations/{world.coop}/households"
    assert [h["name"] for h in client.get(households, headers=world.t.carol).get_json()] == ["Hộ Hank"]
    new = {"name": "Hộ Út", "owner": {"phone": "0911 000 777", "name": "Út", "password": PASSWORD}}
    assert client.post(households, json=new, headers=world.t.carol).status_code == 403
    created = client.post(households, json=new, headers=world.t.alice)
    assert created.status_code == 201 and created.get_json()["kind"] == "household"
    assert client.post("/api/v1/auth/tokens", json={"login": "+84911000777", "password": PASSWORD}).status_code == 201
    assert client.post(households, json=new, headers=world.t.alice).status_code == 409  # that phone has an account now
    # A stranger's household cannot be claimed ...
    assert client.post(households, json={"household_id": world.bobs_farm}, headers=world.t.alice).status_code == 404
    # ... until its owner makes the co-op manager one of its managers.
    assert (
        client.post(
            f"/api/v1/organizations/{world.bobs_farm}/members",
            json={"login": "0911000001", "role": "manager"},
            headers=world.t.bob,
        ).status_code
        == 201
    )
    assert client.post(households, json={"household_id": world.bobs_farm}, headers=world.t.alice).status_code == 201
    assert client.post(households, json={"household_id": world.bobs_farm}, headers=world.t.alice).status_code == 409
    assert sorted(h["name"] for h in client.get(households, headers=world.t.alice).get_json()) == [
        "Hộ Bob",
        "Hộ Hank",
        "Hộ Út",
    ]
    assert (
        client.get(f"/api/v1/organizations/{world.strangers}/households", headers=world.t.bob).status_code == 404
    )  # not a co-op


def test_only_department_officers_verify(app, client, world):
    verification = f"/api/v1/organizations/{world.coop}/verification"
    assert client.post(verification, headers=world.t.alice).status_code == 403
    assert client.get(f"/api/v1/organizations/{world.coop}", headers=world.t.dora).status_code == 200
    verified = client.post(verification, headers=world.t.dora)
    assert verified.status_code == 200 and verified.get_json()["verified"] is True
    with app.app_context():
        assert db.session.get(Organization, world.coop).verified_by_id == world.dora
    assert client.delete(verification, headers=world.t.alice).status_code == 403
    assert client.delete(verification, headers=world.t.dora).status_code == 204
    assert client.get(f"/api/v1/organizations/{world.coop}", headers=world.t.alice).get_json()["verified"] is False


def test_department_membership_and_admin_come_only_from_an_admin(app, client, world):
    department = f"/api/v1/organizations/{world.department}/members"
    assert client.post(department, json={"login": "0911000004"}, headers=world.t.dora).status_code == 403
    grant = f"/api/v1/admin/users/{world.bob}/grants"
    assert (
        client.post(
            grant, json={"organization_id": world.department, "role": "member"}, headers=world.t.dora
        ).status_code
        == 403
    )
    assert client.post(grant, json={"admin": True}, headers=world.t.alice).status_code == 403
    granted = client.post(grant, json={"organization_id": world.department, "role": "member"}, headers=world.t.root)
    assert granted.status_code == 201
    assert ("member", "department") in {
        (m["role"], m["organization"]["kind"]) for m in granted.get_json()["memberships"]
    }
    assert client.post(f"/api/v1/organizations/{world.coop}/verification", headers=world.t.bob).status_code == 200
    made_admin = client.post(f"/api/v1/admin/users/{world.carol}/grants", json={"admin": True}, headers=world.t.root)
    assert made_admin.status_code == 201 and made_admin.get_json()["user"]["is_admin"] is True
    assert client.post(grant, json={}, headers=world.t.root).status_code == 422
    assert (
        client.post("/api/v1/admin/users/999999/grants", json={"admin": True}, headers=world.t.root).status_code == 404
    )
    with app.app_context():
        role = db.session.scalar(
            select(Membership.role).where(
                Membership.user_id == world.bob, Membership.organization_id == world.department
            )
        )
        assert role == Role.MEMBER
