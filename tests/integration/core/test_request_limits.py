"""Per-address request limits on sign-in, token requests and the Digital Link resolver: 429, said in the caller's
terms (a translated page for people, problem JSON for programs)."""

from __future__ import annotations

from tests.conftest import csrf_token

LIMIT = 3


def test_sign_in_posts_past_the_limit_get_a_translated_page(app, make_app):
    client = make_app(SIGN_IN_REQUESTS_PER_MINUTE=LIMIT).test_client()
    token = csrf_token(client, "/sign-in")
    form = {"csrf_token": token, "login": "", "password": ""}
    for _ in range(LIMIT):
        assert client.post("/sign-in", data=form).status_code == 422
    refused = client.post("/sign-in", data=form)
    assert refused.status_code == 429
    assert "Vui lòng đợi một lát" in refused.get_data(as_text=True)
    assert client.get("/sign-in").status_code == 200  # reading the form is not limited


def test_token_requests_past_the_limit_get_problem_json(app, make_app):
    client = make_app(SIGN_IN_REQUESTS_PER_MINUTE=LIMIT).test_client()
    for _ in range(LIMIT):
        assert client.post("/api/v1/auth/tokens", json={"login": "", "password": "x"}).status_code == 401
    refused = client.post("/api/v1/auth/tokens", json={"login": "0912345678", "password": "x"})
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json" and refused.get_json()["status"] == 429
    other = make_app(SIGN_IN_REQUESTS_PER_MINUTE=LIMIT).test_client()
    other.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    assert other.post("/api/v1/auth/tokens", json={"login": "", "password": "x"}).status_code == 401


def test_the_resolver_past_its_limit_answers_people_and_machines_in_kind(app, make_app):
    client = make_app(RESOLVER_REQUESTS_PER_MINUTE=LIMIT).test_client()
    link = "/01/08930000000017/10/LOT-1"
    for _ in range(LIMIT - 1):
        assert client.get(link, headers={"Accept": "application/json"}).status_code in (400, 404)
    assert client.get("/.well-known/gs1resolver").status_code == 200  # the description counts too
    machine = client.get(link, headers={"Accept": "application/json"})
    assert machine.status_code == 429
    assert machine.mimetype == "application/problem+json"
    assert machine.get_json()["code"] == "too_many_requests" and int(machine.headers["Retry-After"]) > 0
    person = client.get(link, headers={"Accept": "text/html"})
    assert person.status_code == 429 and "Vui lòng đợi một lát" in person.get_data(as_text=True)
