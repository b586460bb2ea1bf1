"""Fixtures of the browser tests: the app served on a loopback port and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from core.extensions import db
from core.i18n_catalogs import compile_catalogs, stale_catalogs
from nongsan_app import create_app
from tests import conftest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def live_server(app, database_url, instance_path) -> Iterator[str]:
    """The app on a free loopback port; ``app`` has made the tables in the same database."""
    if stale_catalogs():
        compile_catalogs()
    served = create_app(conftest.test_overrides(database_url, instance_path, SERVER_NAME=None), environ={})
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    with served.app_context():
        db.engine.dispose()  # the served app's own pool: left open, PostgreSQL connections warn at exit


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        conftest.need_service(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        launched_context = chromium.new_context

        def new_context(*args, **kwargs):
            context = launched_context(*args, **kwargs)
            watch_content_security_policy(context)
            return context

        chromium.new_context = new_context
        yield chromium
        chromium.close()


# Every page of every browser test runs under the site's Content-Security-Policy; a refusal is a failure of the test
# (``_no_csp_violations``). Chromium says "Refused to ..." on the console for each refused script, style, frame or
# image, and the page's securitypolicyviolation event names the directive as well. A context without JavaScript
# reports neither: tests of such pages check that the inline styles took effect instead.
CSP_VIOLATIONS: list[str] = []
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.effectiveDirective + " refused " + (e.blockedURI || "inline") + " on " +
                e.documentURI);
});
"""


def watch_content_security_policy(context) -> None:
    context.add_init_script(REPORT_VIOLATIONS)

    def seen(message) -> None:
        text = message.text
        if text.startswith("CSP violation") or ("Refused to" in text and "Content Security Policy" in text):
            CSP_VIOLATIONS.append(text)

    context.on("console", seen)


@pytest.fixture(autouse=True)
def _no_csp_violations() -> Iterator[list[str]]:
    CSP_VIOLATIONS.clear()
    yield CSP_VIOLATIONS
    assert CSP_VIOLATIONS == [], "the Content-Security-Policy refused part of a page"


SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "test-screenshots"))


class Screenshots:
    """Saves a journey's screenshots as <journey>/<nn>-<step>.png under SCREENSHOTS (named in the test log)."""

    def __init__(self, journey: str):
        self.folder = SCREENSHOTS / journey
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def __call__(self, page, step: str) -> None:
        self.count += 1
        page.screenshot(path=str(self.folder / f"{self.count:02d}-{step}.png"), full_page=True)


@pytest.fixture
def screenshots(request) -> Screenshots:
    return Screenshots(request.node.name.removeprefix("test_"))


def pytest_terminal_summary(terminalreporter) -> None:
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"Browser journey screenshots: {SCREENSHOTS}")
