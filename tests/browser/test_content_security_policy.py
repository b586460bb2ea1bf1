"""The pages work under their Content-Security-Policy: nothing is refused (the suite's ``_no_csp_violations`` checks
every browser test), the trace page keeps its inline rules, and the check itself sees a refusal when there is one."""

from __future__ import annotations

import pytest

from tests.trace_page_builders import build_story
from tests.traceability_builders import seeded

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def story(app):
    return seeded(app, build_story)


def test_the_main_pages_load_without_a_refusal_and_keep_their_styles(live_server, browser, story):
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    try:
        for path in ("/", "/sign-in", "/sign-up", "/market", f"/t/{story['kernels']}", "/t/ZZZZ2222", "/open-data"):
            response = page.goto(live_server + path)
            assert response is not None and response.status in (200, 404), path
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
            assert response.headers["x-frame-options"] == "DENY", path
        page.goto(live_server + f"/t/{story['kernels']}")
        # the trace page's own rules are inline (allowed by their hash): the timeline keeps its left rule
        border = page.locator(".timeline > li").first.evaluate("(li) => getComputedStyle(li).borderLeftStyle")
        assert border == "solid"
    finally:
        context.close()


def test_the_api_documentation_runs_under_the_policy(live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server + "/api/docs")
        page.locator(".swagger-ui .opblock").first.wait_for(state="visible", timeout=15_000)
        assert page.locator(".swagger-ui .opblock").count() > 10
    finally:
        context.close()


def test_the_check_sees_a_refused_inline_style_and_script(live_server, browser, _no_csp_violations):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    policy = page.request.get(live_server + "/").headers["content-security-policy"]
    injected = "<html><head><style>body{color:red}</style></head><body><script>document.title='ran'</script></body>"
    page.route(
        live_server + "/injected",
        lambda route: route.fulfill(
            body=injected, content_type="text/html", headers={"Content-Security-Policy": policy}
        ),
    )
    try:
        page.goto(live_server + "/injected")
        page.wait_for_timeout(200)
        assert page.title() != "ran"
        assert any("style" in seen for seen in _no_csp_violations), _no_csp_violations
        assert any("script" in seen for seen in _no_csp_violations), _no_csp_violations
    finally:
        context.close()
    _no_csp_violations.clear()  # seen as they should be: not a failure of this test
