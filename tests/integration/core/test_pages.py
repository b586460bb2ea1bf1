"""The home page, the lot-code form, the language switch and the friendly error pages."""

from __future__ import annotations

import re

import pytest

from core.errors import PermissionDenied
from core.extensions import db
from core.i18n_catalogs import compile_catalogs, stale_catalogs
from tests.builders import make_user
from tests.conftest import csrf_token

VI_BRAND = "Nông sản Đồng Nai"
EN_BRAND = "Dong Nai Farm Produce"


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogs() -> None:
    # `make test` compiles them; a bare `pytest` run after editing a .po file must not read stale ones.
    if stale_catalogs():
        compile_catalogs()


def text(response) -> str:
    return response.get_data(as_text=True)


def switch(client, code: str, next_url: str = "/"):
    token = csrf_token(client, next_url)
    return client.post(f"/lang/{code}", data={"csrf_token": token, "next": next_url})


def sign_in_as(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def test_home_is_vietnamese_by_default(client):
    page = text(client.get("/"))
    assert '<html lang="vi">' in page
    assert VI_BRAND in page
    assert "Truy xuất sản phẩm" in page
    assert EN_BRAND not in page


def test_home_in_english_by_query_and_by_browser_language(client):
    for response in (client.get("/?lang=en"), client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"})):
        page = text(response)
        assert '<html lang="en">' in page
        assert EN_BRAND in page
        assert "Trace a product" in page


def test_home_explains_the_product_and_offers_the_lot_code_form(client, app):
    page = text(client.get("/?lang=en"))
    assert "Scan the QR code" in page
    form = re.search(r'<form method="get" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    assert form and form.group(1) == "/trace"
    assert 'name="code"' in form.group(2)
    for endpoint, path in (("accounts.sign_in", "/sign-in"), ("accounts.sign_up", "/sign-up")):
        if endpoint in app.view_functions:
            assert f'href="{path}"' in page


def test_pages_vary_on_the_language_inputs(client):
    response = client.get("/")
    assert {"Cookie", "Accept-Language"} <= set(response.vary)


@pytest.mark.parametrize("typed", ["ab12cd", " AB-12 cd ", "ab–12–cd"])
def test_trace_form_normalizes_the_code_and_redirects(client, typed):
    response = client.get("/trace", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/t/AB12CD")


@pytest.mark.parametrize("typed", ["", "  ", "AB/12", "<script>"])
def test_trace_form_sends_a_bad_code_back_with_a_message(client, typed):
    response = client.get("/trace", query_string={"code": typed, "lang": "en"}, follow_redirects=True)
    assert response.status_code == 200
    assert "Type the code printed under the QR code" in text(response)


def test_language_switch_sticks_until_switched_back(client):
    response = switch(client, "en")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/")
    assert "lang=en" in response.headers["Set-Cookie"]
    page = text(client.get("/"))
    assert '<html lang="en">' in page and EN_BRAND in page
    page = text(client.get("/no-such-page"))
    assert "Page not found" in page

    switch(client, "vi")
    page = text(client.get("/"))
    assert '<html lang="vi">' in page and VI_BRAND in page


def test_language_switch_form_is_in_the_header_with_a_csrf_token(client):
    page = text(client.get("/"))
    form = re.search(r'<form class="lang-switch" method="post" action="([^"]+)">(.*?)</form>', page, re.S)
    assert form and form.group(1) == "/lang/en"
    assert 'name="csrf_token"' in form.group(2)
    assert "English" in form.group(2)
    english = text(client.get("/?lang=en"))
    assert 'action="/lang/vi"' in english and "Tiếng Việt" in english


def test_language_switch_refuses_a_post_without_csrf_token(client):
    response = client.post("/lang/en", data={"next": "/"})
    assert response.status_code == 400
    assert "lang=en" not in response.headers.get("Set-Cookie", "")


def test_language_switch_returns_to_the_page_without_the_lang_parameter(client):
    page = text(client.get("/?lang=en&code=AB"))
    assert 'name="next" value="/?code=AB"' in page


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_language_switch_never_redirects_off_site(client, target):
    token = csrf_token(client, "/")
    response = client.post("/lang/en", data={"csrf_token": token, "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] in {"/", "http://localhost/"}


def test_language_switch_is_remembered_for_the_signed_in_user(app, client):
    with app.app_context():
        user = make_user()
        user_id = user.id
        assert user.locale == "vi"
    sign_in_as(client, user)
    switch(client, "en")
    with app.app_context():
        assert db.session.get(type(user), user_id).locale == "en"
    # Another device, no cookie: the account's choice applies.
    other_device = app.test_client()
    sign_in_as(other_device, user)
    assert EN_BRAND in text(other_device.get("/"))


@pytest.mark.parametrize(
    ("query", "cookie", "title", "lang"),
    [
        ("", None, "Không tìm thấy trang", "vi"),
        ("?lang=en", None, "Page not found", "en"),
        ("", "en", "Page not found", "en"),
    ],
)
def test_not_found_page_is_friendly_in_both_languages(client, query, cookie, title, lang):
    if cookie:
        client.set_cookie("lang", cookie)
    response = client.get("/no-such-page" + query)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = text(response)
    assert f'<html lang="{lang}">' in page
    assert title in page
    assert 'href="/"' in page  # the way back home


@pytest.fixture
def failing_app(make_app):
    """An app as production runs it (unexpected errors are caught) with routes that fail on purpose."""
    application = make_app(NONGSAN_ENV="development")
    assert not application.testing

    def forbidden():
        raise PermissionDenied("Only the owner may do this.")

    def broken():
        raise RuntimeError("boom")

    application.add_url_rule("/test-only/forbidden", "forbidden", forbidden)
    application.add_url_rule("/test-only/broken", "broken", broken)
    application.add_url_rule("/api/v1/test-only/broken", "api_broken", broken)
    return application


@pytest.mark.parametrize(("lang", "title"), [("vi", "Không được phép"), ("en", "Not allowed")])
def test_forbidden_page(failing_app, lang, title):
    response = failing_app.test_client().get(f"/test-only/forbidden?lang={lang}")
    assert response.status_code == 403
    assert title in text(response)


@pytest.mark.parametrize(("lang", "title"), [("vi", "Đã xảy ra lỗi"), ("en", "Something went wrong")])
def test_server_error_page_hides_the_error(failing_app, lang, title, caplog):
    response = failing_app.test_client().get(f"/test-only/broken?lang={lang}")
    assert response.status_code == 500
    page = text(response)
    assert title in page
    assert "boom" not in page and "Traceback" not in page
    assert any(record.exc_info for record in caplog.records)  # the operator still gets the traceback


def test_api_errors_stay_problem_json(failing_app, client):
    response = failing_app.test_client().get("/api/v1/test-only/broken?lang=en")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 500
    client.set_cookie("lang", "en")
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


FORM_PAGE = """{% import "_macros/forms.html" as forms %}
<form method="post">{{ forms.csrf() }}
{{ forms.field("weight", "Weight (kg)", value=value, errors=errors, inputmode="decimal", hint="Net weight",
                attrs={"min": 0}) }}
{{ forms.select("commodity", "Commodity", [("cashew", "Cashew"), ("pepper", "Pepper")], value="pepper",
                 placeholder="Choose") }}
{{ forms.checkbox("organic", "Organic", checked=True) }}
{{ forms.wtf_field(form.name, hint="As on the ID card") }}
{{ forms.errors(form_errors) }}
{{ forms.submit("Save") }}</form>"""


def test_form_macros_keep_values_and_show_translated_errors(app):
    from flask import render_template_string
    from flask_wtf import FlaskForm
    from wtforms import StringField
    from wtforms.validators import DataRequired

    class NameForm(FlaskForm):
        name = StringField("Your name", validators=[DataRequired(message="Please sign in to continue.")])

    with app.test_request_context("/?lang=vi", method="POST", data={"name": ""}):
        form = NameForm(meta={"csrf": False})
        assert not form.validate()
        html = render_template_string(
            FORM_PAGE, form=form, value="12,5", errors=["The file is too large."], form_errors=["Not allowed"]
        )
    assert 'name="csrf_token"' in html
    assert 'value="12,5"' in html and 'inputmode="decimal"' in html and 'min="0"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="f-weight-hint f-weight-errors"' in html
    assert "Tệp quá lớn." in html  # the service's English message, translated where shown
    assert '<option value="pepper" selected>' in html
    assert 'type="checkbox" value="y" checked' in html
    assert '<label for="name">Your name</label>' in html and "Vui lòng đăng nhập để tiếp tục." in html
    assert "Không được phép" in html
    assert '<button type="submit" class="button button-primary">Save</button>' in html


def test_a_visitors_language_link_sets_the_cookie_and_comes_back_to_a_same_site_page(client):
    response = client.get("/lang/en?next=/market?commodity=cashew")
    assert response.status_code == 303 and response.headers["Location"].endswith("/market?commodity=cashew")
    assert "lang=en" in response.headers["Set-Cookie"]
    page = client.get("/market?commodity=cashew")
    assert page.get_data(as_text=True).startswith('<!doctype html>\n<html lang="en">')
    assert client.get("/lang/vi?next=https://evil.example/").headers["Location"].endswith("/")  # no open redirect


def test_a_visitor_browses_the_market_without_a_session_cookie(client):
    page = client.get("/market", headers={"Accept-Language": "vi"})
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert 'href="/lang/en?next=/market"' in page.get_data(as_text=True)
