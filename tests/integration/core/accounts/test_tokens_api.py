from sqlalchemy import select

from core.accounts.models import ApiToken
from core.extensions import db
from tests.builders import PASSWORD, bearer, make_org, make_token, make_user
from tests.integration.core.accounts.helpers import Seed


def test_a_token_is_issued_once_and_stored_hashed(ctx, client):
    user = make_user(phone="+84912345678", name="Chị Lan")
    response = client.post(
        "/api/v1/auth/tokens", json={"login": "0912 345 678", "password": PASSWORD, "name": "điện thoại"}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["token"].startswith("ns_") and body["name"] == "điện thoại" and body["id"] and body["created_at"]
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash != body["token"] and body["token"] not in stored.token_hash
    me = client.get("/api/v1/me", headers=bearer(body["token"]))
    assert me.status_code == 200
    assert me.get_json()["user"]["id"] == user.id and me.get_json()["user"]["name"] == "Chị Lan"


def test_wrong_credentials_get_401_problem_without_telling_which(ctx, client):
    make_user(phone="+84912345678")
    wrong = client.post("/api/v1/auth/tokens", json={"login": "0912345678", "password": "nope nope"})
    unknown = client.post("/api/v1/auth/tokens", json={"login": "0900000009", "password": "nope nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.mimetype == "application/problem+json"
    assert wrong.get_json()["detail"] == unknown.get_json()["detail"]


def test_missing_malformed_unknown_and_revoked_tokens_are_401(app, client):
    token, token_id = Seed(app)(lambda: (make_token(make_user()), db.session.scalar(select(ApiToken.id))))
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer"}).status_code == 401
    assert client.get("/api/v1/me", headers=bearer("ns_not-a-real-token")).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    assert client.delete(f"/api/v1/auth/tokens/{token_id}", headers=bearer(token)).status_code == 204
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_tokens_are_listed_without_secrets_and_only_the_owner_revokes_them(app, client):
    def build():
        stranger = make_user()
        return (
            make_token(make_user()),
            make_token(stranger),
            db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == stranger.id)),
        )

    mine, theirs, their_id = Seed(app)(build)
    listed = client.get("/api/v1/auth/tokens", headers=bearer(mine))
    assert listed.status_code == 200
    assert [t["prefix"] for t in listed.get_json()] == [mine[:8]]
    assert mine not in listed.get_data(as_text=True)
    assert client.delete(f"/api/v1/auth/tokens/{their_id}", headers=bearer(mine)).status_code == 404
    assert client.get("/api/v1/me", headers=bearer(theirs)).status_code == 200


def test_me_lists_memberships(ctx, client):
    user = make_user()
    make_org("cooperative", name="HTX Điều Bù Gia Mập", owner=user)
    body = client.get("/api/v1/me", headers=bearer(make_token(user))).get_json()
    assert [(m["role"], m["organization"]["name"], m["organization"]["kind"]) for m in body["memberships"]] == [
        ("owner", "HTX Điều Bù Gia Mập", "cooperative")
    ]


def test_a_tokens_last_use_is_written_at_most_once_a_minute(app, client):
    from datetime import timedelta

    from sqlalchemy import event, update

    token, token_id = Seed(app)(lambda: (make_token(make_user()), db.session.scalar(select(ApiToken.id))))

    def last_use():
        with app.app_context():
            return db.session.get(ApiToken, token_id).last_used_at

    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    first = last_use()
    assert first is not None
    writes = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE API_TOKENS"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(3):
            assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert writes == [] and last_use() == first  # three calls within the minute: no write

    with app.app_context():
        db.session.execute(update(ApiToken).values(last_used_at=first - timedelta(minutes=2)))
        db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    assert last_use() > first - timedelta(minutes=2)  # past the minute: written again
