"""A language chosen through a link (the trace page's switch) stays for the next pages, except on shared pages."""

from __future__ import annotations

from tests.traceability_builders import BatchWorld


def lang_cookie(response) -> str | None:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith("lang="):
            return header.split(";", 1)[0].removeprefix("lang=")
    return None


def test_a_signed_in_reader_who_follows_the_english_link_keeps_english(app, client):
    world = BatchWorld(app)
    code = world.harvest("an")
    with client.session_transaction() as session:
        session["_user_id"] = str(world.an_user)
    response = client.get(f"/t/{code}?lang=en")
    assert lang_cookie(response) == "en"
    assert '<html lang="en">' in client.get("/market").get_data(as_text=True)


def test_a_page_shared_caches_keep_never_sets_the_cookie(app, client):
    code = BatchWorld(app).harvest("an")
    response = client.get(f"/t/{code}?lang=en")
    assert response.cache_control.public
    assert lang_cookie(response) is None
