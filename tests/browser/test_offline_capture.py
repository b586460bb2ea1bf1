"""Field capture without signal, in Chromium: forms recorded offline wait on the phone and are sent once.

The service worker keeps the step and split forms; offline.js queues a submission in IndexedDB and sends it
with its Idempotency-Key when the connection returns. A refusal stays on the queued item with what was typed.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PIL import Image
from sqlalchemy import func, select

from core.accounts.models import OrganizationKind, User
from core.extensions import db
from tests.browser.test_navigation import sign_in
from tests.builders import make_org
from tests.traceability_builders import make_harvest, make_plot, quick_user, seeded
from traceability.models import Batch, Event, EventQuantity

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def farmer_lot(app) -> tuple[str, str]:
    def build():
        user = quick_user("Điểu Văn Sơn")
        farm = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Điểu Văn Sơn", owner=user)
        lot = make_harvest(user, [make_plot(farm, crops=["cashew"])], quantity="100")
        return db.session.get(User, user.id).phone, lot.code

    return seeded(app, build)


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 140, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def steps_of(app, code: str) -> list[Event]:
    with app.app_context():
        events = db.session.scalars(
            select(Event)
            .join(EventQuantity, EventQuantity.event_id == Event.id)
            .join(Batch, Batch.id == EventQuantity.batch_id)
            .where(Batch.code == code, Event.operation == "process")
        ).all()
        db.session.expunge_all()
        return list(events)


def lots_made_from(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Batch).where(Batch.code != code)) or 0


KEPT_PATHS = "caches.open('nongsan-pages').then((c) => c.keys()).then((k) => k.map((r) => new URL(r.url).pathname))"


def wait_for_kept(page, done, what: str) -> None:
    """Wait until the pages the phone keeps satisfy `done` (the service worker keeps and forgets a moment later).

    Polled from here: `wait_for_function` takes the promise a cache query returns as a truthy answer at once.
    """
    kept: list[str] = []
    for _ in range(150):
        kept = page.evaluate(KEPT_PATHS)
        if done(kept):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the phone kept {sorted(kept)}, expected {what}")


def wait_until_kept(page, *paths: str) -> None:
    wait_for_kept(page, lambda kept: all(path in kept for path in paths), f"all of {list(paths)}")


def ready_offline(page, live_server: str, code: str) -> None:
    """Open the lot's pages once online, the service worker in control, so that they are kept."""
    page.goto(live_server + "/batches")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)
    paths = (f"/batches/{code}/steps/new", f"/batches/{code}/split")
    for path in paths:
        page.goto(live_server + path)
    wait_until_kept(page, *paths)


def queued_items(page) -> int:
    return page.locator("#offline-queue li.queued").count()


def sync_until_sent(page, tries: int = 15) -> None:
    """Tell the page the connection is back until its queue is empty (each try sends what waits)."""
    for _ in range(tries):
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_timeout(700)
        if queued_items(page) == 0:
            return
    raise AssertionError("the queue was not sent: " + page.locator("#offline-queue").inner_text())


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    yield context, context.new_page()
    context.close()


def test_a_step_with_a_photo_recorded_offline_is_sent_once_when_the_signal_returns(app, live_server, phone, farmer_lot):
    context, page = phone
    login, code = farmer_lot
    sign_in(page, live_server, login)
    ready_offline(page, live_server, code)
    context.set_offline(True)
    page.goto(f"{live_server}/batches/{code}/steps/new")  # from the phone's cache
    page.select_option("#f-step", "drying")
    page.fill("#f-quantity_after", "95")
    page.set_input_files("#f-photo", files=[{"name": "say.jpg", "mimeType": "image/jpeg", "buffer": photo()}])
    page.get_by_role("button", name="Lưu công đoạn").click()
    page.wait_for_selector("#offline-queue li.queued-waiting")
    assert "Đang chờ gửi" in page.locator("#offline-queue").inner_text()
    assert page.locator("#offline-banner").is_visible()
    assert steps_of(app, code) == []

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "() => document.getElementById('offline-note').textContent.includes('Đã gửi')", timeout=15_000
    )
    # The note says it is sent a moment before the list is drawn again without it (the phone's database is
    # asynchronous): wait for the list, then check it stays empty.
    page.wait_for_function("() => document.querySelectorAll('#offline-queue li.queued').length === 0", timeout=5_000)
    assert queued_items(page) == 0
    [step] = steps_of(app, code)
    assert step.biz_step.endswith("drying")
    assert len(step.photos) == 1


def test_a_send_whose_answers_are_lost_three_times_creates_one_step(app, live_server, phone, farmer_lot):
    context, page = phone
    login, code = farmer_lot
    sign_in(page, live_server, login)
    ready_offline(page, live_server, code)
    tries: list[str] = []

    def lose_the_first_two_answers(route):
        if route.request.method != "POST":
            route.continue_()
            return
        tries.append(route.request.headers.get("idempotency-key", ""))
        if len(tries) > 2:
            route.continue_()
            return
        route.fetch()  # the server records it...
        route.abort()  # ...and the phone never hears back

    page.route(f"{live_server}/batches/{code}/steps/new", lose_the_first_two_answers)
    page.goto(f"{live_server}/batches/{code}/steps/new")
    page.select_option("#f-step", "drying")
    page.get_by_role("button", name="Lưu công đoạn").click()
    page.wait_for_selector("#offline-queue li.queued-waiting")
    sync_until_sent(page)
    assert len(tries) == 3
    assert len(set(tries)) == 1  # every try carried the same key
    assert len(steps_of(app, code)) == 1


def test_a_refused_split_stays_on_the_phone_with_what_was_typed_to_correct(app, live_server, phone, farmer_lot):
    context, page = phone
    login, code = farmer_lot
    sign_in(page, live_server, login)
    ready_offline(page, live_server, code)
    context.set_offline(True)
    page.goto(f"{live_server}/batches/{code}/split")
    inputs = page.locator("input[name=part_quantity]")
    inputs.nth(0).fill("80")
    inputs.nth(1).fill("40")
    page.get_by_role("button", name="Chia lô").click()
    page.wait_for_selector("#offline-queue li.queued-waiting")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    refused = page.locator("#offline-queue li.queued-refused")
    refused.wait_for(timeout=15_000)
    assert f"lô {code} chỉ còn 100 kg" in refused.inner_text()
    assert lots_made_from(app, code) == 0

    refused.get_by_role("link", name="Sửa").click()
    page.wait_for_function("() => document.querySelector('input[name=part_quantity]').value === '80'")
    assert inputs.nth(1).input_value() == "40"  # nothing typed is lost
    inputs.nth(1).fill("20")
    with page.expect_navigation():
        page.get_by_role("button", name="Chia lô").click()
    assert lots_made_from(app, code) == 2
    page.goto(f"{live_server}/batches")
    assert queued_items(page) == 0  # the corrected send replaced the refused one


def test_a_step_queued_two_hours_ago_still_syncs_with_the_phones_time(app, live_server, phone, farmer_lot):
    context, page = phone
    login, code = farmer_lot
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    page.clock.install(time=two_hours_ago)
    sign_in(page, live_server, login)
    ready_offline(page, live_server, code)
    context.set_offline(True)
    page.goto(f"{live_server}/batches/{code}/steps/new")
    page.select_option("#f-step", "drying")
    page.get_by_role("button", name="Lưu công đoạn").click()
    page.wait_for_selector("#offline-queue li.queued-waiting")
    page.clock.set_system_time(datetime.now(UTC))  # two hours later, the signal returns
    context.set_offline(False)
    sync_until_sent(page)
    [step] = steps_of(app, code)
    assert abs(step.event_time.replace(tzinfo=UTC) - two_hours_ago) < timedelta(minutes=1)


def test_a_harvest_recorded_offline_waits_and_is_sent_with_its_harvest_day(app, live_server, phone, farmer_lot):
    context, page = phone
    login, code = farmer_lot
    sign_in(page, live_server, login)
    ready_offline(page, live_server, code)
    page.goto(live_server + "/batches/new")  # opened once with signal: kept on the phone
    wait_until_kept(page, "/batches/new")
    context.set_offline(True)
    page.goto(live_server + "/batches/new")
    page.locator("input[name=plot_ids]").first.check()
    page.select_option("#f-product", "raw_cashew_nuts")
    page.fill("#f-quantity", "85,5")
    page.get_by_role("button", name="Lưu thu hoạch").click()
    page.wait_for_selector("#offline-queue li.queued-waiting")
    assert lots_made_from(app, code) == 0
    context.set_offline(False)
    sync_until_sent(page)
    with app.app_context():
        lot = db.session.scalar(select(Batch).where(Batch.code != code))
        assert lot.initial_quantity == Decimal("85.5")


def test_signing_out_forgets_the_pages_kept_on_the_phone(live_server, phone, farmer_lot):
    context, page = phone
    login, code = farmer_lot
    sign_in(page, live_server, login)
    ready_offline(page, live_server, code)
    kept = KEPT_PATHS
    assert f"/batches/{code}/steps/new" in page.evaluate(kept)
    page.locator(".nav-more summary").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()
    wait_for_kept(page, lambda paths: paths == [], "nothing")


def test_on_a_shared_phone_a_queue_waits_for_the_person_who_recorded_it(app, live_server, phone, farmer_lot):
    context, page = phone
    login, code = farmer_lot

    def neighbour() -> str:
        user = quick_user("Hàng xóm")
        farm = make_org(OrganizationKind.HOUSEHOLD, name="Hộ hàng xóm", owner=user)
        make_plot(farm, crops=["cashew"])
        return db.session.get(User, user.id).phone

    other = seeded(app, neighbour)
    sign_in(page, live_server, login)
    ready_offline(page, live_server, code)
    context.set_offline(True)
    page.goto(f"{live_server}/batches/{code}/steps/new")
    page.select_option("#f-step", "drying")
    page.get_by_role("button", name="Lưu công đoạn").click()
    page.wait_for_selector("#offline-queue li.queued-waiting")
    page.route(f"{live_server}/offline/session", lambda route: route.abort())  # no answer yet: it stays queued
    context.set_offline(False)
    page.locator(".nav-more summary").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()
    page.unroute(f"{live_server}/offline/session")

    sign_in(page, live_server, other)  # the neighbour borrows the phone
    page.goto(live_server + "/batches")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(1500)
    assert queued_items(page) == 0  # not theirs to see
    assert page.evaluate(f"{KEPT_PATHS}.then((paths) => paths.filter((p) => p.includes('{code}')))") == []
    assert steps_of(app, code) == []  # nor to send

    page.locator(".nav-more summary").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()
    sign_in(page, live_server, login)
    page.goto(live_server + "/batches")
    sync_until_sent(page)
    assert len(steps_of(app, code)) == 1


def test_a_producers_own_pages_are_kept_once_signed_in_and_open_without_signal(live_server, phone, farmer_lot):
    context, page = phone
    login, _code = farmer_lot
    sign_in(page, live_server, login)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)
    page.reload()  # now under the worker's control, the page asks it to keep the producer's pages
    wait_until_kept(page, "/start", "/batches", "/plots", "/batches/new")
    context.set_offline(True)
    page.goto(live_server + "/plots")  # never opened: kept all the same
    assert page.locator("h1").count() == 1 and "Không có kết nối" not in page.locator("h1").inner_text()
