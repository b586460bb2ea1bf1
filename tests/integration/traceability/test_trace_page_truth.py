"""The trace page tells the truth about time and origin: steps dated by when they happened, every harvest of a
merged lot, and a code hint that matches the codes."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from core.accounts.models import User
from core.extensions import db
from tests.trace_page_builders import HOUSEHOLDS, build_story, build_three_household_merge
from tests.traceability_builders import seeded
from traceability.identifiers import BATCH_CODE_LENGTH, new_batch_code
from traceability.services.batches import record_step
from traceability.services.scans import VIETNAM


@pytest.fixture
def story(app):
    return seeded(app, build_story)


@pytest.fixture
def merged(app):
    return seeded(app, build_three_household_merge)


def english(client, code: str) -> str:
    response = client.get(f"/t/{code}", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def en_day(day: date) -> str:
    return day.strftime("%-d %b %Y")


def section(html: str, start: str, end: str) -> str:
    return html[html.index(f'id="{start}"') : html.index(f'id="{end}"')]


def test_a_harvest_typed_in_days_later_is_dated_by_its_harvest_day(client, story):
    harvested = date.today() - timedelta(days=3)  # build_story records it today
    steps = section(english(client, story["kernels"]), "steps", "custody")
    first = re.search(r"<strong>Harvested</strong> · <span class=\"nowrap\">([^<]+)</span>", steps)
    assert first and first.group(1) == en_day(harvested)
    assert en_day(date.today()) + "," not in first.group(0)  # not the moment it was typed


def test_a_step_is_dated_by_the_time_its_producer_gave(app, client, merged):
    given = (datetime.now(VIETNAM) - timedelta(hours=3)).replace(second=0, microsecond=0)

    def dry_earlier():
        manager = db.session.get(User, merged["manager_id"])
        record_step(manager, merged["merged"], step="sun_drying", event_time=given.isoformat())

    seeded(app, dry_earlier)
    steps = section(english(client, merged["merged"]), "steps", "custody")
    assert re.search(rf"<strong>Sun drying</strong> · <span class=\"nowrap\">{given:%-d %b %Y, %H:%M}</span>", steps)


def test_a_merge_of_three_households_shows_three_harvests_with_their_farms_plots_and_days(client, merged):
    html = english(client, merged["merged"])
    harvests = section(html, "harvests", "certificates")
    assert "This lot holds 3 harvests." in harvests
    items = re.findall(r"<li>(.*?)</li>", harvests, re.S)
    assert len(items) == 3
    for item, name, code, day, plot in zip(
        items, HOUSEHOLDS, merged["harvests"], merged["days"], ("Vườn số 1", "Vườn số 2", "Vườn số 3"), strict=True
    ):  # oldest harvest first
        assert name in item and plot in item and en_day(day) in item and f'href="/t/{code}"' in item
    origin = section(html, "origin", "harvests")
    assert all(name in origin for name in HOUSEHOLDS)
    custody_chain = section(html, "custody", "lineage")
    assert en_day(merged["days"][0]) in custody_chain  # the first holder held it from its harvest day


def test_a_harvest_lot_has_no_harvest_list_of_one(client, merged):
    assert 'id="harvests"' not in english(client, merged["harvests"][0])


def test_the_code_hints_match_the_codes_that_are_made(client):
    code = new_batch_code()
    assert len(code) == BATCH_CODE_LENGTH == 8
    not_found = client.get("/t/ZZZZ2222", headers={"Accept-Language": "en"}).get_data(as_text=True)
    home = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for html in (not_found, home):
        hint = re.search(r"The 8 letters and digits printed under the QR code, for example ([A-Z0-9]+)\.", html)
        assert hint, "the hint must give the real length and an example"
        example = hint.group(1)
        assert len(example) == len(code) and re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]+", example)
    assert "it has 8 letters and digits, never O, 0, I, 1 or L" in not_found
    refused = client.get("/trace?code=%21%21", headers={"Accept-Language": "en"}, follow_redirects=True)
    assert "Type the code printed under the QR code: 8 letters and digits, for example" in refused.get_data(
        as_text=True
    )


def test_the_example_code_is_one_the_generator_could_make():
    from traceability.identifiers import BATCH_CODE_ALPHABET, BATCH_CODE_EXAMPLE

    assert len(BATCH_CODE_EXAMPLE) == BATCH_CODE_LENGTH and set(BATCH_CODE_EXAMPLE) <= set(BATCH_CODE_ALPHABET)
    assert not set("O0I1L") & set(BATCH_CODE_ALPHABET)
