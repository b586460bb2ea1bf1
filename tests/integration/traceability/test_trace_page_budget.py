"""The trace page's speed budget: queries that do not grow with the lineage, a small page, and 304 answers.

The lot is packed from 200 earlier lots (180 farm harvests from 18 households,
their farm lots, a co-op pool and a kernel bulk) with about 2,000 events.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.trace_page_builders import build_deep_lot, counted
from tests.traceability_builders import audited, seeded
from traceability.models import Batch, EventType, QuantityRole
from traceability.services import ledger

MAX_QUERIES = 10
MAX_HTML_BYTES = 60 * 1024


@pytest.fixture
def deep(app):
    return seeded(app, build_deep_lot)


def test_a_lot_of_200_ancestors_and_2000_events_fits_the_budget(app, client, deep):
    assert deep.ancestors == 200 and deep.events >= 2000
    audited(app)
    response, statements = counted(app, lambda: client.get(f"/t/{deep.code}", headers={"Accept-Language": "en"}))
    assert response.status_code == 200
    assert len(statements) <= MAX_QUERIES, "\n\n".join(statements)
    html = response.get_data(as_text=True)
    assert len(response.data) < MAX_HTML_BYTES, f"{len(response.data)} bytes"
    assert "This lot was made from 200 earlier lots, 180 of them harvested on 18 farms." in html
    assert "All 2000 records behind this lot are unchanged" in html  # the whole lineage verified intact
    assert f'href="/t/{deep.code}/lineage"' in html  # the rest is one link away
    response.close()


def test_a_current_copy_gets_304_in_two_queries_and_a_new_event_changes_it(app, client, deep):
    first = client.get(f"/t/{deep.code}")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('W/"')
    again, statements = counted(app, lambda: client.get(f"/t/{deep.code}", headers={"If-None-Match": etag}))
    assert again.status_code == 304 and again.data == b""
    assert len(statements) <= 2
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == "public, max-age=60"
    since, statements = counted(app, lambda: client.get(f"/t/{deep.code}", headers={"If-Modified-Since": modified}))
    assert since.status_code == 304 and len(statements) <= 2
    english = client.get(f"/t/{deep.code}?lang=en", headers={"If-None-Match": etag})
    assert english.status_code == 200 and english.headers["ETag"] != etag  # another language is another page

    def late_step_on_a_farm_lot():
        farm_lot = db.session.scalars(
            select(Batch).where(Batch.product == "raw_cashew_nuts").order_by(Batch.id).limit(1)
        ).one()
        ledger.append_event(
            type=EventType.OBJECT,
            action="OBSERVE",
            operation="process",
            biz_step="inspecting",
            organization_id=farm_lot.custodian_id,
            user_id=None,
            movements=[ledger.Movement(farm_lot, QuantityRole.OBSERVED, farm_lot.quantity_remaining)],
        )
        db.session.commit()

    seeded(app, late_step_on_a_farm_lot)
    changed = client.get(f"/t/{deep.code}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    for response in (first, again, since, english, changed):
        response.close()
