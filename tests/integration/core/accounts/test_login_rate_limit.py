from datetime import timedelta

from core.accounts.models import LoginFailure
from core.db import utcnow
from core.extensions import db
from tests.builders import PASSWORD, make_org, make_user
from tests.integration.core.accounts.helpers import sign_in
from tests.traceability_builders import seeded

HOME = "127.0.0.1"  # the test client's address
ATTACKER = "203.0.113.9"


def _owner(phone="+84912345678"):
    user = make_user(phone=phone)
    make_org(owner=user)
    return user


def test_five_failed_sign_ins_block_the_login_with_retry_after(ctx, client):
    _owner()
    for typed in ("0912 345 678", "0912345678", "+84912345678", "84912345678", "+84 912 345 678"):
        assert sign_in(client, typed, "wrong password").status_code == 422
    blocked = sign_in(client, "0912345678", PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["Retry-After"]) <= 15 * 60
    assert client.get("/org").status_code == 302


def test_another_login_from_the_same_address_still_signs_in(ctx, client):
    _owner()
    _owner("+84987654321")
    for _ in range(5):
        sign_in(client, "0912345678", "wrong password")
    assert sign_in(client, "0912345678").status_code == 429
    assert sign_in(client, "0987 654 321").status_code == 303


def test_unknown_logins_are_limited_the_same_way(ctx, client):
    for _ in range(5):
        assert sign_in(client, "0933333333", "whatever1").status_code == 422
    assert sign_in(client, "+84933333333", "whatever1").status_code == 429


def test_retry_after_counts_down_to_when_the_oldest_failure_leaves_the_window(ctx, client):
    _owner()
    now = utcnow()
    db.session.add_all(
        [LoginFailure(login="+84912345678", address=HOME, at=now - timedelta(minutes=14))]
        + [LoginFailure(login="+84912345678", address=HOME, at=now - timedelta(minutes=1)) for _ in range(4)]
    )
    db.session.add(
        LoginFailure(login="+84912345678", address=HOME, at=now - timedelta(minutes=20))
    )  # outside the window: not counted
    db.session.commit()
    response = sign_in(client, "0912345678")
    assert response.status_code == 429
    assert 50 <= int(response.headers["Retry-After"]) <= 60


def test_four_failures_do_not_block_and_old_failures_age_out(ctx, client):
    _owner()
    old = utcnow() - timedelta(minutes=16)
    db.session.add_all([LoginFailure(login="+84912345678", address=HOME, at=old) for _ in range(10)])
    db.session.commit()
    for _ in range(4):
        sign_in(client, "0912345678", "wrong password")
    assert sign_in(client, "0912345678").status_code == 303


def test_failed_token_requests_are_limited_too_and_share_the_count(ctx, client):
    _owner()
    _owner("+84987654321")
    for _ in range(3):
        assert (
            client.post("/api/v1/auth/tokens", json={"login": "0912 345 678", "password": "wrong password"}).status_code
            == 401
        )
    sign_in(client, "+84912345678", "wrong password")
    sign_in(client, "84912345678", "wrong password")
    response = client.post("/api/v1/auth/tokens", json={"login": "0912345678", "password": PASSWORD})
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert 0 < int(response.headers["Retry-After"]) <= 900
    assert "token" not in response.get_json()
    other = client.post("/api/v1/auth/tokens", json={"login": "0987654321", "password": PASSWORD})
    assert other.status_code == 201


# No shared app context here: Flask-WTF keeps a form's token in g, which two browsers must not share.
def test_failures_from_another_address_do_not_lock_the_owner_out(app, client):
    seeded(app, _owner)
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = ATTACKER
    for _ in range(5):
        assert sign_in(attacker, "0912345678", "wrong password").status_code == 422
    blocked = sign_in(attacker, "0912345678", PASSWORD)
    assert blocked.status_code == 429  # the guesser waits, even with the right password
    assert "Đăng nhập sai quá nhiều lần với tài khoản này" in blocked.get_data(as_text=True)
    token = attacker.post("/api/v1/auth/tokens", json={"login": "0912345678", "password": PASSWORD})
    assert token.status_code == 429 and token.get_json()["code"] == "too_many_attempts"
    assert sign_in(client, "0912 345 678").status_code == 303  # the farmer, from their own phone
    assert client.post("/api/v1/auth/tokens", json={"login": "0912345678", "password": PASSWORD}).status_code == 201


def test_one_address_cannot_try_many_logins(app, client):
    seeded(app, _owner)
    limit = app.config["LOGIN_ADDRESS_FAILURE_LIMIT"]
    sprayer = app.test_client()
    sprayer.environ_base["REMOTE_ADDR"] = ATTACKER
    for index in range(limit):  # one guess at each of many logins: no login reaches its own limit
        assert sign_in(sprayer, f"09330000{index:02d}", "password123").status_code == 422
    page = sign_in(sprayer, "0912345678", PASSWORD)
    assert page.status_code == 429
    assert 0 < int(page.headers["Retry-After"]) <= 15 * 60
    assert "Đăng nhập sai quá nhiều lần từ mạng của bạn" in page.get_data(as_text=True)
    api = sprayer.post("/api/v1/auth/tokens", json={"login": "0912345678", "password": PASSWORD})
    assert api.status_code == 429 and api.mimetype == "application/problem+json"
    assert api.get_json()["code"] == "too_many_attempts" and "token" not in api.get_json()
    assert sign_in(client, "0912345678").status_code == 303  # other addresses are not held up
