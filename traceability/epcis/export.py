"""Our events as EPCIS 2.0 JSON-LD, exactly as GS1's schema (with its URI format checks) accepts them.

How each event maps:

- a harvest is an ObjectEvent ADD, bizStep ``commissioning``, whose ``ilmd`` holds
  the harvest dates, the origin plots and the country of origin;
- a process step is an ObjectEvent OBSERVE; a recall, a shipment and a receipt too;
- split, merge and transformation are TransformationEvents with input and output
  quantity lists;
- the shipment of a sold lot is a TransactionEvent naming the order as its ``po``;
- a correction is the original event carrying an ``errorDeclaration`` that names
  the corrective events, which are exported as they are;
- measurements are ``sensorElementList`` reports; quantities are in UN/ECE units.

An ObjectEvent has one quantity list whose meaning its action fixes (ADD: what was
brought into being; DELETE: what was taken out; OBSERVE: what was seen). A step that
also lost weight (drying) or a stock-taking that found more says so in
``nongsan:removedQuantityList`` / ``nongsan:addedQuantityList``, so that capture
elsewhere can rebuild the same quantities. Each lot's commodity, product, grade and
harvest period travel as EPCClass master data in the document header.

Nothing private leaves: notes, photos, the people who typed an event and a
household's facility name are not exported (the public trace page omits them too).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from core.accounts.models import Organization
from core.db import utcnow
from core.extensions import db
from traceability import catalog
from traceability.epcis import vocabulary as voc
from traceability.models import Batch, ErrorDeclaration, Event, EventQuantity, EventType, QuantityRole

COUNTRY = "VN"
NATURAL_ROLE = {"ADD": QuantityRole.OUTPUT, "DELETE": QuantityRole.INPUT, "OBSERVE": QuantityRole.OBSERVED}
SALE_TRANSACTION = "po"


def epcis_time(moment: datetime, offset: str = "+00:00") -> str:
    """An instant as EPCIS writes it: ISO 8601 in the event's own offset, milliseconds kept."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset[1:].split(":")
    zone = timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    text = moment.astimezone(zone).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z") if offset == "+00:00" else text


def number(value: Decimal) -> int | float:
    """A decimal as a JSON number (the schema's ``decimal``), integral values without a fraction."""
    normalized = Decimal(value).normalize()
    return int(normalized) if normalized == normalized.to_integral() else float(normalized)


@dataclass(frozen=True)
class _Line:
    batch_id: int
    role: QuantityRole
    quantity: Decimal
    unit: str


class Exporter:
    """Turns events into EPCIS dicts, loading what they refer to in a fixed number of queries."""

    def __init__(self, events: Sequence[Event], base_url: str | None = None):
        self.base_url = base_url or current_app.config["PUBLIC_BASE_URL"]
        self.events = list(events)
        ids = [event.id for event in self.events]
        self.lines: dict[int, list[_Line]] = defaultdict(list)
        batch_ids: set[int] = set()
        if ids:
            for event_id, batch_id, role, quantity, unit in db.session.execute(
                select(
                    EventQuantity.event_id,
                    EventQuantity.batch_id,
                    EventQuantity.role,
                    EventQuantity.quantity,
                    EventQuantity.unit,
                )
                .where(EventQuantity.event_id.in_(ids))
                .order_by(EventQuantity.id)
            ):
                self.lines[event_id].append(_Line(batch_id, QuantityRole(role), quantity, unit))
                batch_ids.add(batch_id)
        self.batches: dict[int, Batch] = (
            {b.id: b for b in db.session.scalars(select(Batch).where(Batch.id.in_(batch_ids)))} if batch_ids else {}
        )
        self.declarations: dict[int, ErrorDeclaration] = (
            {
                d.event_id: d
                for d in db.session.scalars(select(ErrorDeclaration).where(ErrorDeclaration.event_id.in_(ids)))
            }
            if ids
            else {}
        )
        corrective = {i for d in self.declarations.values() for i in d.corrective_event_ids or []}
        self.uuids: dict[int, str] = {event.id: event.event_uuid for event in self.events}
        missing = corrective - set(self.uuids)
        if missing:
            self.uuids.update(db.session.execute(select(Event.id, Event.event_uuid).where(Event.id.in_(missing))).all())
        organization_ids = {event.organization_id for event in self.events}
        for event in self.events:
            for party in [*(event.extra or {}).get("sourceList", []), *(event.extra or {}).get("destinationList", [])]:
                if party.get("organization_id"):
                    organization_ids.add(party["organization_id"])
        self.glns: dict[int, str | None] = (
            dict(
                db.session.execute(
                    select(Organization.id, Organization.gln).where(Organization.id.in_(organization_ids))
                ).all()
            )
            if organization_ids
            else {}
        )

    # -- identifiers ------------------------------------------------------------------------------------------

    def class_of(self, batch_id: int) -> str:
        batch = self.batches[batch_id]
        return voc.class_uri(self.base_url, batch.code, batch.gtin, batch.lot_number)

    def site(self, organization_id: int) -> str:
        return voc.site_uri(self.base_url, organization_id, self.glns.get(organization_id))

    def party(self, organization_id: int) -> str:
        return voc.party_uri(self.base_url, organization_id, self.glns.get(organization_id))

    # -- events -----------------------------------------------------------------------------------------------

    def _element(self, line: _Line, with_quantity: bool = True) -> dict:
        element = {"epcClass": self.class_of(line.batch_id)}
        if with_quantity:
            element["quantity"] = number(line.quantity)
            element["uom"] = voc.UOM[line.unit]
        return element

    def _object_quantities(self, event: Event, document: dict) -> None:
        lines = self.lines[event.id]
        natural = NATURAL_ROLE.get(event.action or "OBSERVE", QuantityRole.OBSERVED)
        listed = [self._element(line) for line in lines if line.role is natural]
        seen = {element["epcClass"] for element in listed}
        for line in lines:
            if line.role is not natural and self.class_of(line.batch_id) not in seen:
                seen.add(self.class_of(line.batch_id))
                listed.append(self._element(line, with_quantity=False))
        document["quantityList"] = listed
        removed = [
            self._element(line) for line in lines if line.role is QuantityRole.INPUT and line.role is not natural
        ]
        added = [self._element(line) for line in lines if line.role is QuantityRole.OUTPUT and line.role is not natural]
        if removed:
            document[voc.term("removedQuantityList")] = removed
        if added:
            document[voc.term("addedQuantityList")] = added

    def _transactions(self, event: Event) -> list[dict]:
        found = []
        for item in (event.extra or {}).get("bizTransactionList", []):
            kind, reference = item.get("type"), item.get("reference")
            if item.get("uri"):  # captured from another system: its URI as given
                uri = item["uri"]
            elif not reference:
                continue
            else:
                uri = (
                    voc.order_uri(self.base_url, reference)
                    if kind == SALE_TRANSACTION
                    else voc.document_uri(self.base_url, "delivery-note", reference)
                )
            found.append({"type": kind, "bizTransaction": uri} if kind else {"bizTransaction": uri})
        return found

    def _parties(self, event: Event, key: str, field: str) -> list[dict]:
        return [
            {"type": party.get("type", "owning_party"), field: party.get("uri") or self.party(party["organization_id"])}
            for party in (event.extra or {}).get(key, [])
            if party.get("organization_id") or party.get("uri")
        ]

    def _ilmd(self, event: Event) -> dict | None:
        stored = (event.extra or {}).get("ilmd") or {}
        if event.operation == "harvest":
            ilmd = {"cbvmda:countryOfOrigin": COUNTRY}
            if stored.get("harvest_start"):
                ilmd["cbvmda:harvestStartDate"] = stored["harvest_start"]
                ilmd["cbvmda:harvestEndDate"] = stored.get("harvest_end") or stored["harvest_start"]
            ilmd[voc.term("originPlots")] = [voc.plot_uri(self.base_url, i) for i in stored.get("plot_ids", [])]
            if stored.get("drc_percent"):
                ilmd[voc.term("drcPercent")] = stored["drc_percent"]
            if (event.extra or {}).get("origin_unknown"):
                ilmd[voc.term("originUnknown")] = True
            return ilmd
        if event.type is EventType.TRANSFORMATION:
            return {"cbvmda:countryOfOrigin": COUNTRY}
        return None

    def _sensors(self, event: Event) -> list[dict]:
        reports = []
        for item in event.measurements or []:
            report = {
                "type": voc.measurement_type(item["type"], self.base_url),
                "value": number(Decimal(item["value"])),
            }
            uom = voc.SENSOR_TYPES.get(item["type"], (None, None))[1]
            if uom:
                report["uom"] = uom
            reports.append(report)
        return [{"sensorReport": reports}] if reports else []

    def is_sale(self, event: Event) -> bool:
        return event.operation == "ship" and any(
            item.get("type") == SALE_TRANSACTION for item in (event.extra or {}).get("bizTransactionList", [])
        )

    def event(self, event: Event) -> dict:
        """One event as an EPCIS 2.0 JSON object (without ``@context``: the document carries it)."""
        kind = EventType.TRANSACTION.value if self.is_sale(event) else event.type.value
        document: dict = {
            "type": kind,
            "eventID": event.event_uuid,
            "eventTime": epcis_time(event.event_time, event.event_time_zone_offset),
            "eventTimeZoneOffset": event.event_time_zone_offset,
            "recordTime": epcis_time(event.record_time),
        }
        declaration = self.declarations.get(event.id)
        if declaration is not None:
            document["errorDeclaration"] = {
                "declarationTime": epcis_time(declaration.declared_at),
                "reason": declaration.reason,
                "correctiveEventIDs": [
                    self.uuids[i] for i in declaration.corrective_event_ids or [] if i in self.uuids
                ],
            }
        lines = self.lines[event.id]
        if event.type is EventType.TRANSFORMATION:
            document["inputQuantityList"] = [self._element(line) for line in lines if line.role is QuantityRole.INPUT]
            document["outputQuantityList"] = [self._element(line) for line in lines if line.role is QuantityRole.OUTPUT]
        else:
            document["action"] = "ADD" if kind == EventType.TRANSACTION.value else (event.action or "OBSERVE")
            if kind == EventType.TRANSACTION.value:
                document["quantityList"] = [self._element(line) for line in lines]
            else:
                self._object_quantities(event, document)
        document["bizStep"] = voc.biz_step(event.biz_step, self.base_url)
        if event.disposition:
            document["disposition"] = event.disposition
        document["readPoint"] = {
            "id": voc.plot_uri(self.base_url, event.plot_id) if event.plot_id else self.site(event.organization_id)
        }
        document["bizLocation"] = {"id": self.site(event.organization_id)}
        transactions = self._transactions(event)
        if transactions:
            document["bizTransactionList"] = transactions
        sources = self._parties(event, "sourceList", "source")
        destinations = self._parties(event, "destinationList", "destination")
        if sources:
            document["sourceList"] = sources
        if destinations:
            document["destinationList"] = destinations
        sensors = self._sensors(event)
        if sensors:
            document["sensorElementList"] = sensors
        ilmd = self._ilmd(event)
        if ilmd:
            document["ilmd"] = ilmd
        document[voc.term("operation")] = event.operation
        return document

    # -- master data ------------------------------------------------------------------------------------------

    def master_data(self) -> list[dict]:
        """An EPCClass vocabulary element for each lot the events name: what capture needs to make the lot."""
        elements = []
        for batch in sorted(self.batches.values(), key=lambda b: b.id):
            attributes = {
                voc.term("commodity"): batch.commodity,
                voc.term("product"): batch.product,
                voc.term("unit"): voc.UOM[batch.unit],
                "cbvmda:countryOfOrigin": COUNTRY,
            }
            if batch.grade:
                attributes[voc.term("grade")] = batch.grade
            if batch.drc_percent is not None:
                attributes[voc.term("drcPercent")] = catalog.decimal_text(batch.drc_percent)
            if batch.harvest_start:
                attributes["cbvmda:harvestStartDate"] = batch.harvest_start.isoformat()
            if batch.harvest_end:
                attributes["cbvmda:harvestEndDate"] = batch.harvest_end.isoformat()
            if batch.lot_number:
                attributes["cbvmda:lotNumber"] = batch.lot_number
            if batch.unknown_origin:
                attributes[voc.term("originUnknown")] = "true"  # an attribute is a number, a string or an object
            elements.append(
                {
                    "id": self.class_of(batch.id),
                    "attributes": [{"id": key, "attribute": value} for key, value in attributes.items()],
                }
            )
        return [{"type": voc.EPC_CLASS_VOCABULARY, "vocabularyElementList": elements}] if elements else []


def document(events: Iterable[Event], base_url: str | None = None) -> dict:
    """An EPCISDocument of ``events`` (in the order given), with the master data of the lots they name."""
    exporter = Exporter(list(events), base_url)
    body: dict = {
        "@context": voc.context(exporter.base_url),
        "type": "EPCISDocument",
        "schemaVersion": voc.EPCIS_VERSION,
        "creationDate": epcis_time(utcnow()),
    }
    vocabularies = exporter.master_data()
    if vocabularies:
        body["epcisHeader"] = {"epcisMasterData": {"vocabularyList": vocabularies}}
    body["epcisBody"] = {"eventList": [exporter.event(event) for event in exporter.events]}
    return body


def query_document(events: Iterable[Event], base_url: str | None = None) -> dict:
    """An EPCISQueryDocument answering a SimpleEventQuery with ``events``."""
    exporter = Exporter(list(events), base_url)
    return {
        "@context": voc.context(exporter.base_url),
        "type": "EPCISQueryDocument",
        "schemaVersion": voc.EPCIS_VERSION,
        "creationDate": epcis_time(utcnow()),
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": [exporter.event(event) for event in exporter.events]},
            }
        },
    }


def single_event(event: Event, base_url: str | None = None) -> dict:
    """One event as a standalone EPCIS JSON-LD object (with its ``@context``)."""
    exporter = Exporter([event], base_url)
    return {"@context": voc.context(exporter.base_url), **exporter.event(event)}
