import pytest
from sqlalchemy import select

from core.accounts.models import Membership, Organization, User
from core.extensions import db
from tests.builders import PASSWORD, make_org, make_user
from tests.integration.core.accounts.helpers import sign_in, sign_up

PHONE_FORMS = ["0912 345 678", "0912345678", "+84912345678", "84912345678", "+84 912 345 678"]


@pytest.mark.parametrize("typed", PHONE_FORMS)
def test_sign_up_with_each_phone_form_then_sign_in_with_another_form(app, client, typed):
    response = sign_up(client, typed)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/start")  # a new household lands on its first steps (#9)
    page = client.get("/org").get_data(as_text=True)
    assert "Vườn điều Lộc Ninh" in page

    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.phone == "+84912345678"
        membership = db.session.scalar(select(Membership))
        assert membership.role.value == "owner" and membership.organization.kind.value == "household"

    client.post("/sign-out", data={"csrf_token": _token_from(client, "/org")})
    assert client.get("/org").status_code == 302  # signed out: the page sends to sign-in
    other_form = PHONE_FORMS[(PHONE_FORMS.index(typed) + 2) % len(PHONE_FORMS)]
    response = sign_in(client, other_form)
    assert response.status_code == 303
    assert "Vườn điều Lộc Ninh" in client.get("/org").get_data(as_text=True)


def _token_from(client, url):
    from tests.conftest import csrf_token

    return csrf_token(client, url)


def test_sign_up_with_email_stores_it_lower_cased_and_signs_in(app, client):
    assert sign_up(client, "Lan.Tran@Example.com", org_kind="buyer", org_name="Cửa hàng Lan").status_code == 303
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.phone) == ("lan.tran@example.com", None)
        assert db.session.scalar(select(Organization)).kind.value == "buyer"
    fresh = app.test_client()
    assert sign_in(fresh, "LAN.TRAN@example.com").status_code == 303
    assert "Cửa hàng Lan" in fresh.get("/org").get_data(as_text=True)


def test_invalid_sign_up_re_renders_with_messages_and_keeps_what_was_typed(app, client):
    response = sign_up(client, "0123", password="short", org_name="Hộ ông Bảy")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert 'value="0123"' in page and 'value="Hộ ông Bảy"' in page
    assert 'value="short"' not in page  # passwords are never echoed back
    assert page.count('class="error"') >= 2
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_sign_up_refuses_the_department_kind(app, client):
    assert sign_up(client, "0912345678", org_kind="department").status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Organization)) is None


def test_sign_up_with_a_number_already_registered_is_refused(ctx, client):
    make_user(phone="+84912345678")
    response = sign_up(client, "0912 345 678")
    assert response.status_code == 422
    assert 'value="0912 345 678"' in response.get_data(as_text=True)
    assert len(db.session.scalars(select(User)).all()) == 1


def test_wrong_password_and_unknown_login_get_the_same_answer(ctx, client):
    make_user(phone="+84912345678")
    wrong = sign_in(client, "0912345678", "wrong password")
    unknown = sign_in(client, "0987654321", "wrong password")
    assert wrong.status_code == unknown.status_code == 422
    message = "error"
    assert message in wrong.get_data(as_text=True)
    assert _errors(wrong) == _errors(unknown)
    assert client.get("/org").status_code == 302


def _errors(response):
    import re

    return re.findall(r'<p class="error">([^<]+)</p>', response.get_data(as_text=True))


def test_sign_in_without_csrf_token_is_refused_and_does_not_sign_in(ctx, client):
    make_org(owner=make_user(phone="+84912345678"))
    response = client.post("/sign-in", data={"login": "0912345678", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/org").status_code == 302


def test_sign_in_goes_to_a_same_site_next_only(ctx, client):
    make_org(owner=make_user(phone="+84912345678"))
    assert sign_in(client, "0912345678", next_url="/org/members").headers["Location"].endswith("/org/members")
    client.post("/sign-out", data={"csrf_token": _token_from(client, "/org")})
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        location = sign_in(client, "0912345678", next_url=evil).headers["Location"]
        assert "evil" not in location
        client.post("/sign-out", data={"csrf_token": _token_from(client, "/org")})


def test_pages_ask_for_sign_in_with_the_way_back(client):
    response = client.get("/org/members")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"] and "next=" in response.headers["Location"]


def test_signing_out_gives_the_next_person_on_the_phone_a_new_form_token(ctx, client):
    make_org(owner=make_user(phone="+84912345678"))
    sign_in(client, "0912345678")
    before = _token_from(client, "/org")
    client.post("/sign-out", data={"csrf_token": before})
    after = _token_from(client, "/sign-in")
    assert after != before
    refused = client.post("/sign-in", data={"csrf_token": before, "login": "0912345678", "password": PASSWORD})
    assert refused.status_code == 400  # a form kept from the last person's session no longer posts
