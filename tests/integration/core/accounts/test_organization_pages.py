from sqlalchemy import select

from core.accounts.models import CooperativeMember, Membership, Organization, User
from core.extensions import db
from tests.builders import PASSWORD, add_member, join_cooperative, make_org, make_user
from tests.integration.core.accounts.helpers import Seed, post_form, sign_in


def _coop(app):
    def build():
        alice, carol, bob = (
            make_user(phone="+84911000001", name="Alice"),
            make_user(phone="+84911000002", name="Carol"),
            make_user(phone="+84911000004", name="Bob"),
        )
        coop = make_org("cooperative", name="HTX Điều Lộc Ninh", owner=alice)
        add_member(coop, carol)
        household = make_org("household", name="Hộ Hank", owner=make_user(phone="+84911000003"))
        join_cooperative(coop, household)
        make_org("trader", name="Bob Trading", owner=bob)
        return coop.id, household.id

    return Seed(app)(build)


def test_org_page_shows_profile_and_owner_edits_it(app, client):
    coop_id, _ = _coop(app)
    sign_in(client, "0911000001")
    page = client.get("/org").get_data(as_text=True)
    assert '<html lang="vi">' in page and "HTX Điều Lộc Ninh" in page and "Bob Trading" not in page
    address = {"address-province_code": "75", "address-street": "Ấp 2"}
    response = post_form(
        client, "/org", "/org", name="HTX Điều Lộc Ninh mới", **address, **{"address-commune_code": "25270"}
    )
    assert response.status_code == 303
    assert "HTX Điều Lộc Ninh mới" in client.get("/org").get_data(as_text=True)
    bad = post_form(client, "/org", "/org", name="", **address, **{"address-commune_code": "abc"})
    assert bad.status_code == 422 and 'value="Ấp 2"' in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Organization, coop_id).street == "Ấp 2"


def test_plain_member_sees_the_profile_but_cannot_edit_or_add(app, client):
    coop_id, _ = _coop(app)
    sign_in(client, "0911000002")
    page = client.get("/org").get_data(as_text=True)
    assert "HTX Điều Lộc Ninh" in page and 'name="address-street"' not in page
    token_page = "/org/members"
    members = client.get(token_page).get_data(as_text=True)
    assert "Alice" in members and 'name="role"' not in members
    assert (
        post_form(
            client, token_page, "/org", name="Carol's", **{"address-street": "", "address-commune_code": ""}
        ).status_code
        == 403
    )
    assert post_form(client, token_page, "/org/members", login="0911000004", role="member").status_code == 403
    with app.app_context():
        assert db.session.get(Organization, coop_id).name == "HTX Điều Lộc Ninh"


def test_owner_adds_and_removes_members_on_the_members_page(app, client):
    coop_id, _ = _coop(app)
    sign_in(client, "0911000001")
    assert post_form(client, "/org/members", "/org/members", login="0911 000 004", role="manager").status_code == 303
    assert "Bob" in client.get("/org/members").get_data(as_text=True)
    unknown = post_form(client, "/org/members", "/org/members", login="0900000009", role="member")
    assert unknown.status_code == 422 and 'value="0900000009"' in unknown.get_data(as_text=True)
    with app.app_context():
        bob_id = db.session.scalar(select(User.id).where(User.phone == "+84911000004"))
    assert post_form(client, "/org/members", f"/org/members/{bob_id}/remove").status_code == 303
    assert "Bob" not in client.get("/org/members").get_data(as_text=True)


def test_coop_manager_registers_a_household_and_can_switch_to_it(app, client):
    coop_id, household_id = _coop(app)
    sign_in(client, "0911000001")
    page = client.get("/org/households").get_data(as_text=True)
    assert "Hộ Hank" in page
    created = post_form(
        client,
        "/org/households",
        "/org/households/new",
        name="Hộ Út",
        commune_code="",
        owner_name="Út",
        owner_login="0911 000 777",
        owner_password=PASSWORD,
    )
    assert created.status_code == 303
    assert "Hộ Út" in client.get("/org/households").get_data(as_text=True)
    assert post_form(client, "/org", "/org/switch", organization_id=str(household_id)).status_code == 303
    assert "Hộ Hank" in client.get("/org").get_data(as_text=True)
    fresh = app.test_client()
    assert sign_in(fresh, "+84911000777").status_code == 303
    assert "Hộ Út" in fresh.get("/org").get_data(as_text=True)


def test_households_page_refuses_plain_members_and_strangers_households(app, client):
    coop_id, _ = _coop(app)
    sign_in(client, "0911000002")
    assert 'name="owner_login"' not in client.get("/org/households").get_data(as_text=True)
    refused = post_form(
        client,
        "/org/households",
        "/org/households/new",
        name="Hộ X",
        owner_name="X",
        owner_login="0911000888",
        owner_password=PASSWORD,
    )
    assert refused.status_code == 403
    client.post("/sign-out", data={"csrf_token": _token(client)})
    sign_in(client, "0911000001")
    with app.app_context():
        bobs = make_org(
            "household", name="Hộ Bob", owner=db.session.scalar(select(User).where(User.phone == "+84911000004"))
        ).id
    claimed = post_form(client, "/org/households", "/org/households/add", household_id=str(bobs))
    assert claimed.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(CooperativeMember).where(CooperativeMember.household_id == bobs)) is None


def _token(client):
    from tests.conftest import csrf_token

    return csrf_token(client, "/org")


def test_switching_to_another_users_organization_is_refused(app, client):
    _coop(app)
    with app.app_context():
        bob_org = db.session.scalar(select(Organization.id).where(Organization.name == "Bob Trading"))
    sign_in(client, "0911000001")
    assert post_form(client, "/org", "/org/switch", organization_id=str(bob_org)).status_code == 404
    page = client.get("/org").get_data(as_text=True)
    assert "HTX Điều Lộc Ninh" in page and "Bob Trading" not in page


def test_user_in_two_organizations_sees_a_switcher(app, client):
    def build():
        user = make_user(phone="+84911000001")
        make_org("household", name="Vườn tiêu", owner=user)
        second = make_org("processor", name="Xưởng điều", owner=user)
        return second.id

    second = Seed(app)(build)
    sign_in(client, "0911000001")
    page = client.get("/org").get_data(as_text=True)
    assert "Vườn tiêu" in page and 'name="organization_id"' in page
    assert (
        post_form(client, "/org", "/org/switch", organization_id=str(second), next="/org/members")
        .headers["Location"]
        .endswith("/org/members")
    )
    assert "<h1>Xưởng điều</h1>" in client.get("/org").get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(Membership)).all()) == 2
