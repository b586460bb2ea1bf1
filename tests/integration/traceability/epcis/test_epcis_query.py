"""The EPCIS events query: each filter and the paging return exactly the matching events a user may see."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.integration.traceability.epcis.conftest import schema_problems
from tests.traceability_builders import seeded
from traceability.models import Batch, Event, EventQuantity


def fetch_all(client, chain, who, query=""):
    """Every event the query returns, following the Link header page after page."""
    url = f"/api/v1/epcis/events?perPage=2{'&' + query if query else ''}"
    found, pages = [], 0
    while url:
        response = client.get(url, headers=chain.world.auth(who))
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.headers["GS1-EPCIS-Version"] == "2.0.0"
        document = response.get_json(force=True)
        found += document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        pages += 1
        link = response.headers.get("Link")
        url = link[1 : link.index(">")].removeprefix("http://localhost") if link else None
    return found, pages


def ids(events):
    return [e["eventID"] for e in events]


def in_database(app, condition=None, join_batches=None):
    """Event ids (in recorded order) straight from the tables, to compare the API with."""

    def read():
        statement = select(Event.event_uuid).order_by(Event.id)
        if condition is not None:
            statement = statement.where(condition)
        if join_batches is not None:
            touching = select(EventQuantity.event_id).join(Batch).where(Batch.code.in_(join_batches))
            statement = statement.where(Event.id.in_(touching))
        return list(db.session.scalars(statement))

    return seeded(app, read)


def test_officer_pages_through_every_event_once(client, chain, official_validator):
    events, pages = fetch_all(client, chain, "officer")
    assert ids(events) == in_database(chain.world.app)
    assert pages == (len(events) + 1) // 2
    first = client.get("/api/v1/epcis/events?perPage=3", headers=chain.world.auth("officer")).get_json(force=True)
    assert schema_problems(official_validator, first) == []


def test_eq_biz_step(client, chain):
    events, _ = fetch_all(client, chain, "officer", "EQ_bizStep=shipping")
    assert ids(events) == in_database(chain.world.app, Event.biz_step == "shipping")
    assert len(events) == 3  # both households' lots to the processor, and the kernels sold
    assert {e["type"] for e in events} == {"ObjectEvent", "TransactionEvent"}
    ours, _ = fetch_all(client, chain, "officer", "EQ_bizStep=" + quote("http://localhost/voc/bizstep/sun_drying"))
    assert {e["bizStep"] for e in ours} == {"http://localhost/voc/bizstep/sun_drying"} and len(ours) == 2
    both, _ = fetch_all(client, chain, "officer", "EQ_bizStep=" + quote("shipping|receiving"))
    assert ids(both) == in_database(chain.world.app, Event.biz_step.in_(["shipping", "receiving"]))


def test_match_any_epc_class_and_match_epc(client, chain):
    lot = quote(f"http://localhost/t/{chain.an_lot}", safe="")
    expected = in_database(chain.world.app, join_batches=[chain.an_lot])
    for name in ("MATCH_anyEPCClass", "MATCH_epc"):
        events, _ = fetch_all(client, chain, "officer", f"{name}={lot}")
        assert ids(events) == expected
    # harvest, drying, its correction, shipping, receiving, merge
    assert len(expected) == 6
    unknown, _ = fetch_all(client, chain, "officer", "MATCH_anyEPCClass=" + quote("urn:epc:class:lgtin:4012345.1.2"))
    assert unknown == []


def test_event_time_window(client, chain):
    def middle():
        times = list(db.session.scalars(select(Event.event_time).order_by(Event.event_time)))
        return times[len(times) // 2]

    cut = seeded(chain.world.app, middle)
    stamp = quote(cut.isoformat())
    later, _ = fetch_all(client, chain, "officer", f"GE_eventTime={stamp}")
    earlier, _ = fetch_all(client, chain, "officer", f"LT_eventTime={stamp}")
    assert ids(later) == in_database(chain.world.app, Event.event_time >= cut)
    assert ids(earlier) == in_database(chain.world.app, Event.event_time < cut)
    assert set(ids(later)).isdisjoint(ids(earlier)) and later and earlier
    # The same instant written in Vietnam's offset selects the same events.
    local = quote(cut.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh")).isoformat())
    assert ids(fetch_all(client, chain, "officer", f"GE_eventTime={local}")[0]) == ids(later)
    window = f"GE_eventTime={stamp}&LT_eventTime={quote((cut + timedelta(microseconds=1)).isoformat())}"
    assert ids(fetch_all(client, chain, "officer", window)[0]) == in_database(chain.world.app, Event.event_time == cut)


def test_eq_biz_location(client, chain):
    site = quote(f"http://localhost/id/organization/{chain.world.processor_org}", safe="")
    events, _ = fetch_all(client, chain, "officer", f"EQ_bizLocation={site}")
    assert ids(events) == in_database(chain.world.app, Event.organization_id == chain.world.processor_org)
    assert {e["bizLocation"]["id"] for e in events} == {f"http://localhost/id/organization/{chain.world.processor_org}"}


def test_filters_combine(client, chain):
    lot = quote(f"http://localhost/t/{chain.an_lot}", safe="")
    events, _ = fetch_all(client, chain, "officer", f"MATCH_anyEPCClass={lot}&EQ_bizStep=shipping")
    assert len(events) == 1 and events[0]["bizStep"] == "shipping"


def test_an_organization_sees_its_own_events_and_its_lots_lineage_only(client, chain):
    an_events, _ = fetch_all(client, chain, "an")
    # An's own events, and the processor's events on lots made from An's lot; nothing of Bình's own lot alone.
    assert set(ids(an_events)) >= set(in_database(chain.world.app, Event.organization_id == chain.world.an_org))
    binh_only = set(in_database(chain.world.app, Event.organization_id == chain.world.binh_org))
    assert binh_only.isdisjoint(ids(an_events))
    merged_and_after = in_database(chain.world.app, join_batches=[chain.merged, chain.kernels])
    assert set(merged_and_after) <= set(ids(an_events))
    # Cúc, who never held any of these lots, and an organization with no lots see nothing.
    assert fetch_all(client, chain, "cuc")[0] == []


def test_one_event_by_its_id(client, chain):
    url = f"/api/v1/epcis/events/{chain.drying_event}"
    mine = client.get(url, headers=chain.world.auth("an"))
    assert mine.status_code == 200 and mine.mimetype == "application/ld+json"
    assert mine.get_json(force=True)["eventID"] == chain.drying_event
    assert "@context" in mine.get_json(force=True)
    hidden = client.get(url, headers=chain.world.auth("cuc"))
    assert hidden.status_code == 404 and hidden.mimetype == "application/problem+json"
    assert (
        client.get(
            "/api/v1/epcis/events/urn:uuid:00000000-0000-0000-0000-000000000000", headers=chain.world.auth("officer")
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("perPage=0", "perPage"),
        ("perPage=abc", "perPage"),
        ("perPage=501", "perPage"),
        ("GE_eventTime=yesterday", "GE_eventTime"),
        ("LT_eventTime=2026-01-01T00:00:00", "LT_eventTime"),  # no offset: which instant?
        ("EQ_readPoint=x", "EQ_readPoint"),
        ("nextPageToken=forged", "nextPageToken"),
    ],
)
def test_bad_parameters_are_problems_naming_them(client, chain, query, field):
    response = client.get(f"/api/v1/epcis/events?{query}", headers=chain.world.auth("officer"))
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == "query_parameter" and field in problem["errors"]


def test_a_page_token_is_bound_to_its_query(client, chain):
    first = client.get("/api/v1/epcis/events?perPage=1&EQ_bizStep=shipping", headers=chain.world.auth("officer"))
    token = first.headers["Link"].split("nextPageToken=")[1].split(">")[0]
    other = client.get(f"/api/v1/epcis/events?perPage=1&nextPageToken={token}", headers=chain.world.auth("officer"))
    assert other.status_code == 400 and "nextPageToken" in other.get_json()["errors"]


def test_new_events_do_not_shift_pages(client, chain):
    first = client.get("/api/v1/epcis/events?perPage=3", headers=chain.world.auth("officer"))
    link = first.headers["Link"]
    chain.world.harvest("cuc", "10")
    rest, _ = fetch_all(client, chain, "officer")
    following = client.get(
        link[1 : link.index(">")].removeprefix("http://localhost"), headers=chain.world.auth("officer")
    )
    seen = ids(first.get_json(force=True)["epcisBody"]["queryResults"]["resultsBody"]["eventList"])
    seen += ids(following.get_json(force=True)["epcisBody"]["queryResults"]["resultsBody"]["eventList"])
    assert seen == ids(rest)[: len(seen)]


def test_anonymous_is_refused(client, chain):
    assert client.get("/api/v1/epcis/events").status_code == 401
