"""EPCIS 2.0 queries (a subset of the REST binding's SimpleEventQuery) over the events a user may see.

Who sees what: department officers every event; anyone else the events of the
organizations they act for, plus the events of every lot in the lineage (back to
the farms and forward to the buyers) of a lot those organizations hold, held or
were sent, which is what the public trace pages of their own lots show. The
province's whole event log is not an open list: a competitor cannot read another
co-op's volumes by paging through it.

Paging is by event id (the order events were recorded in), so a page never
repeats or skips an event when new ones arrive; ``nextPageToken`` is signed and
bound to the query it was issued for.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ColumnElement, Select, exists, or_, select, union

from core.accounts.models import Organization, User
from core.errors import DomainError, NotFound
from core.extensions import db
from traceability.epcis import vocabulary as voc
from traceability.messages import (
    NO_SUCH_EPCIS_EVENT,
    QUERY_INVALID,
    QUERY_PER_PAGE,
    QUERY_TIME,
    QUERY_TOKEN,
    QUERY_UNKNOWN,
)
from traceability.models import Batch, BatchLink, CapturedClass, Event, EventQuantity, Shipment
from traceability.services.access import Reader, readable_batch
from traceability.services.lineage import ANCESTORS, DESCENDANTS, related_ids

PER_PAGE_DEFAULT = 30
PER_PAGE_MAX = 500
LIST_PARAMETERS = ("EQ_bizStep", "MATCH_epc", "MATCH_anyEPCClass", "EQ_bizLocation")
TIME_PARAMETERS = ("GE_eventTime", "LT_eventTime")
PAGING_PARAMETERS = ("perPage", "nextPageToken")
SUPPORTED = (*LIST_PARAMETERS, *TIME_PARAMETERS, *PAGING_PARAMETERS)


class QueryParameterError(DomainError):
    """EPCIS QueryParameterException: a parameter this server does not take, or a value it cannot read (400)."""

    status = 400
    title = "Bad request"
    code = "query_parameter"


@dataclass(frozen=True)
class EventQuery:
    biz_steps: tuple[str, ...] = ()
    epc_classes: tuple[str, ...] = ()
    biz_locations: tuple[str, ...] = ()
    from_time: datetime | None = None  # GE_eventTime
    until_time: datetime | None = None  # LT_eventTime
    per_page: int = PER_PAGE_DEFAULT
    after_id: int = 0  # from nextPageToken

    def fingerprint(self) -> str:
        """What a page token is bound to: every filter, not the page."""
        text = json.dumps(
            [
                self.biz_steps,
                self.epc_classes,
                self.biz_locations,
                self.from_time.isoformat() if self.from_time else None,
                self.until_time.isoformat() if self.until_time else None,
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Page:
    events: list[Event]
    next_token: str | None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="epcis-next-page")


def _values(raw: list[str]) -> tuple[str, ...]:
    """A parameter's values: repeated, or joined by ``|`` as the REST binding writes a list."""
    return tuple(value.strip() for item in raw for value in item.split("|") if value.strip())


def _time(name: str, raw: list[str], errors: dict) -> datetime | None:
    if not raw:
        return None
    text = raw[-1].strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        errors[name] = [QUERY_TIME(name=name)]
        return None
    return moment


def parse_query(arguments: Mapping[str, list[str]]) -> EventQuery:
    """The query the REST parameters ask for; ``QueryParameterError`` naming each bad or unsupported one."""
    errors: dict[str, list[str]] = {}
    for name in arguments:
        if name not in SUPPORTED:
            errors[name] = [QUERY_UNKNOWN(name=name)]
    per_page = PER_PAGE_DEFAULT
    if arguments.get("perPage"):
        text = arguments["perPage"][-1].strip()
        if not text.isdigit() or not 1 <= int(text) <= PER_PAGE_MAX:
            errors["perPage"] = [QUERY_PER_PAGE(most=PER_PAGE_MAX)]
        else:
            per_page = int(text)
    query = EventQuery(
        biz_steps=_values(arguments.get("EQ_bizStep", [])),
        epc_classes=_values([*arguments.get("MATCH_epc", []), *arguments.get("MATCH_anyEPCClass", [])]),
        biz_locations=_values(arguments.get("EQ_bizLocation", [])),
        from_time=_time("GE_eventTime", arguments.get("GE_eventTime", []), errors),
        until_time=_time("LT_eventTime", arguments.get("LT_eventTime", []), errors),
        per_page=per_page,
    )
    token = (arguments.get("nextPageToken") or [""])[-1].strip()
    after = 0
    if token and not errors:
        try:
            fingerprint, after = _serializer().loads(token)
        except (BadSignature, ValueError, TypeError):
            fingerprint, after = None, 0
        if fingerprint != query.fingerprint() or not isinstance(after, int):
            errors["nextPageToken"] = [QUERY_TOKEN]
    if errors:
        raise QueryParameterError(QUERY_INVALID, errors=errors)
    return EventQuery(**{**query.__dict__, "after_id": after})


# -- who sees which events ----------------------------------------------------------------------------------------


def _lineage_of(seeds: Select, direction: str):
    """Every batch reached from the ``seeds`` batch ids along lineage edges in ``direction`` (one recursive CTE)."""
    links = BatchLink.__table__
    far, near = (
        (links.c.parent_id, links.c.child_id) if direction == ANCESTORS else (links.c.child_id, links.c.parent_id)
    )
    walk = select(far.label("batch_id")).where(near.in_(seeds)).cte(f"epcis_{direction}", recursive=True)
    return walk.union(select(far).join(walk, near == walk.c.batch_id))


def visible(reader: Reader) -> ColumnElement[bool] | None:
    """The condition on ``Event`` of what ``reader`` may see (None: everything)."""
    if reader.sees_all:
        return None
    own = sorted(reader.organization_ids)
    if not own:
        return Event.id.is_(None)
    held = union(
        select(Batch.id).where(Batch.custodian_id.in_(own)),
        select(Shipment.batch_id).where(
            or_(Shipment.from_organization_id.in_(own), Shipment.to_organization_id.in_(own))
        ),
        select(EventQuantity.batch_id)
        .join(Event, Event.id == EventQuantity.event_id)
        .where(Event.organization_id.in_(own)),
    ).subquery()
    seeds = select(held.c.id)
    ancestors, descendants = _lineage_of(seeds, ANCESTORS), _lineage_of(seeds, DESCENDANTS)
    reachable = union(seeds, select(ancestors.c.batch_id), select(descendants.c.batch_id)).subquery()
    touches = exists().where(EventQuantity.event_id == Event.id, EventQuantity.batch_id.in_(select(reachable.c.id)))
    return or_(Event.organization_id.in_(own), touches)


# -- filters ------------------------------------------------------------------------------------------------------


def _class_batch_ids(classes: tuple[str, ...], base_url: str) -> set[int]:
    """Our lots the class URIs name: our own URIs, and other systems' classes captured as our lots."""
    codes, keyed, foreign = set(), set(), set()
    for uri in classes:
        found = voc.read_class(uri, base_url)
        if found is None:
            foreign.add(uri)
        elif found.code:
            codes.add(found.code.upper())
        else:
            keyed.add((found.gtin, found.lot))
    ids: set[int] = set()
    if codes:
        ids |= set(db.session.scalars(select(Batch.id).where(Batch.code.in_(codes))))
    for gtin, lot in keyed:
        ids |= set(
            db.session.scalars(
                select(Batch.id).where(Batch.gtin == gtin, or_(Batch.lot_number == lot, Batch.code == lot))
            )
        )
    if foreign:
        ids |= set(db.session.scalars(select(CapturedClass.batch_id).where(CapturedClass.epc_class.in_(foreign))))
    return ids


def _location_organization_ids(locations: tuple[str, ...], base_url: str) -> set[int]:
    """The organizations whose site the bizLocation URIs name, exactly as export writes them: the GLN's Digital
    Link for an organization with a GLN, our organization URI for one without."""
    ids, glns = set(), set()
    for uri in locations:
        found = voc.read_site(uri, base_url)
        if found is not None and found[0] == "organization":
            ids.add(int(found[1]))
        elif found is not None and found[0] == "gln":
            glns.add(found[1])
    named = set()
    if ids:
        named |= set(
            db.session.scalars(select(Organization.id).where(Organization.id.in_(ids), Organization.gln.is_(None)))
        )
    if glns:
        named |= set(db.session.scalars(select(Organization.id).where(Organization.gln.in_(glns))))
    return named


def _filtered(statement: Select, query: EventQuery, base_url: str) -> Select:
    if query.biz_steps:
        statement = statement.where(
            Event.biz_step.in_(set().union(*(voc.stored_biz_steps(s, base_url) for s in query.biz_steps)))
        )
    if query.epc_classes:
        ids = _class_batch_ids(query.epc_classes, base_url)
        statement = statement.where(
            exists().where(EventQuantity.event_id == Event.id, EventQuantity.batch_id.in_(sorted(ids)))
        )
    if query.biz_locations:
        statement = statement.where(
            Event.organization_id.in_(sorted(_location_organization_ids(query.biz_locations, base_url)))
        )
    if query.from_time is not None:
        statement = statement.where(Event.event_time >= query.from_time)
    if query.until_time is not None:
        statement = statement.where(Event.event_time < query.until_time)
    return statement


def events(user: User, query: EventQuery) -> Page:
    """One page of the events ``user`` may see that match ``query``, in the order they were recorded."""
    base_url = current_app.config["PUBLIC_BASE_URL"]
    statement = select(Event).where(Event.id > query.after_id)
    condition = visible(Reader(user))
    if condition is not None:
        statement = statement.where(condition)
    statement = _filtered(statement, query, base_url).order_by(Event.id).limit(query.per_page + 1)
    found = list(db.session.scalars(statement))
    more = len(found) > query.per_page
    found = found[: query.per_page]
    token = _serializer().dumps([query.fingerprint(), found[-1].id]) if more else None
    return Page(found, token)


def event(user: User, event_id: str) -> Event:
    """One event by its EPCIS eventID, if ``user`` may see it (404 otherwise)."""
    statement = select(Event).where(Event.event_uuid == event_id)
    condition = visible(Reader(user))
    if condition is not None:
        statement = statement.where(condition)
    found = db.session.scalar(statement)
    if found is None:
        raise NotFound(NO_SUCH_EPCIS_EVENT(id=event_id))
    return found


def lineage_events(user: User, code: str) -> tuple[Batch, list[Event]]:
    """Every event of the lot ``code`` and of each lot in its lineage, in the order they were recorded."""
    batch = readable_batch(user, code)
    ids = {batch.id} | related_ids(batch.id, ANCESTORS) | related_ids(batch.id, DESCENDANTS)
    touching = select(EventQuantity.event_id).where(EventQuantity.batch_id.in_(sorted(ids)))
    return batch, list(db.session.scalars(select(Event).where(Event.id.in_(touching)).order_by(Event.id)))
