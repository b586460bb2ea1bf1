"""EPCIS capture: an EPCISDocument mapped into our lots and events, all of it or nothing.

The request checks the document against GS1's schema (400 with the schema's errors),
records a capture job and commits, then hands the job to a worker by id. The worker
maps every event in document order inside ONE transaction, each in a savepoint so
that one bad event does not hide the next one's problems; if any event fails,
everything is rolled back and the job lists each failing event with a coded reason.

What is captured, and how (we trace quantities of lots, never single items):

- ObjectEvent ADD: each class of its quantity list gets that quantity; a class not
  known here becomes a new lot of the capturing organization, made from the
  document's EPCClass master data (``nongsan:commodity``, ``nongsan:product``...);
  with bizStep ``commissioning`` it is a harvest, its ILMD harvest dates kept;
- ObjectEvent OBSERVE: a step on lots held here (``nongsan:removedQuantityList`` /
  ``nongsan:addedQuantityList`` say what it took or found); DELETE takes out;
- TransformationEvent: inputs consumed, outputs made as new lots inheriting the
  inputs' origin plots, lineage edges written; an input never seen here enters as
  a lot of unknown origin (a ``commission`` event records that it did);
- TransactionEvent: an observation of the lots with its business transactions;
- ``errorDeclaration``: an error declaration naming the corrective events;
- ``sensorElementList``: our measurements, checked like typed ones.

Instance-level identifiers (``epcList``, ``inputEPCList``, ``childEPCs``...), class
patterns, AggregationEvent and AssociationEvent are refused with a precise reason.
A class captured once maps to the same lot in later documents (``CapturedClass``).
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import current_app
from sqlalchemy import select

from core.accounts.models import User
from core.accounts.permissions import actable_organization_ids, is_department_officer
from core.db import utcnow
from core.errors import DomainError, NotFound, PermissionDenied, ValidationError
from core.extensions import db
from core.outbox import queue_task, send_queued
from traceability import catalog
from traceability.epcis import schema
from traceability.epcis import vocabulary as voc
from traceability.messages import (
    ACTION_UNSUPPORTED,
    BIZ_STEP_UNKNOWN,
    CAPTURE_EMPTY,
    CAPTURE_NO_ORGANIZATION,
    CAPTURE_NOT_CONFIGURED,
    CAPTURE_NOT_DOCUMENT,
    CAPTURE_SCHEMA,
    CAPTURE_TOO_MANY,
    CLASS_PATTERN_UNSUPPORTED,
    CORRECTED_EVENT_UNKNOWN,
    DISPOSITION_UNKNOWN,
    ERROR_REASON_UNKNOWN,
    EVENT_ALREADY_CAPTURED,
    EVENT_TIME_IN_FUTURE,
    EVENT_TYPE_UNSUPPORTED,
    INSTANCE_EPCS_UNSUPPORTED,
    LOT_ALREADY_EXISTS,
    LOT_MASTER_DATA_INVALID,
    LOT_MASTER_DATA_MISSING,
    LOT_NOT_ACTIVE,
    LOT_NOT_YOURS,
    MAY_NOT_CAPTURE_FOR,
    MEASUREMENT_INVALID,
    MEASUREMENT_UNKNOWN,
    NO_QUANTITIES,
    NO_SUCH_CAPTURE,
    QUANTITY_NEEDED,
    QUANTITY_NOT_POSITIVE,
    UNKNOWN_LOT,
    UOM_NOT_LOT_UNIT,
    UOM_UNSUPPORTED,
)
from traceability.models import (
    Batch,
    BatchLink,
    BatchPlot,
    BatchStatus,
    CapturedClass,
    CaptureJob,
    CaptureStatus,
    ErrorDeclaration,
    Event,
    EventType,
    Plot,
    QuantityRole,
    RecalledBatch,
)
from traceability.services import ledger
from traceability.services.batches import mark_consumed_if_empty, new_batch

TASK = "traceability.capture_epcis"
MAX_EVENTS = 2000
INSTANCE_FIELDS = ("epcList", "inputEPCList", "outputEPCList", "childEPCs", "parentID")
SUPPORTED_TYPES = ("ObjectEvent", "TransformationEvent", "TransactionEvent")
REPACKAGING_OPERATIONS = ("split", "merge", "transform")
ERROR_REASONS = ("did_not_occur", "incorrect_data")
CBV_ERROR_REASON_URI = "https://ref.gs1.org/cbv/ER-"
FUTURE_SLACK = timedelta(minutes=5)  # a phone's clock a little ahead is not an error


class CaptureUnavailable(DomainError):
    status = 503
    title = "Service unavailable"
    code = "capture_not_configured"


class SchemaInvalid(DomainError):
    status = 400
    title = "Bad request"
    code = "schema_invalid"


# -- the request --------------------------------------------------------------------------------------------------


def _organization_for(user: User, organization_id: int | None) -> int:
    if is_department_officer(user) and not actable_organization_ids(user):
        raise PermissionDenied(MAY_NOT_CAPTURE_FOR)
    own = actable_organization_ids(user)
    if organization_id is None:
        if len(own) != 1:
            raise ValidationError(CAPTURE_NO_ORGANIZATION, errors={"organization_id": [CAPTURE_NO_ORGANIZATION]})
        return next(iter(own))
    if organization_id not in own:
        raise PermissionDenied(MAY_NOT_CAPTURE_FOR)
    return organization_id


def request_capture(user: User, document: Any, organization_id: int | None = None) -> CaptureJob:
    """Check ``document`` against the schema, record a capture job, commit, and have a worker apply it."""
    org = _organization_for(user, organization_id)
    try:
        problems = schema.schema_errors(document)
    except schema.SchemaUnavailable:
        raise CaptureUnavailable(CAPTURE_NOT_CONFIGURED) from None
    if problems:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem["path"], []).append(problem["message"][:500])
        raise SchemaInvalid(CAPTURE_SCHEMA, errors=errors)
    if not isinstance(document, dict) or document.get("type") != "EPCISDocument":
        raise SchemaInvalid(CAPTURE_NOT_DOCUMENT, errors={"type": [CAPTURE_NOT_DOCUMENT]})
    events = document["epcisBody"]["eventList"]
    if not events:
        raise SchemaInvalid(CAPTURE_EMPTY, errors={"epcisBody.eventList": [CAPTURE_EMPTY]})
    if len(events) > MAX_EVENTS:
        raise SchemaInvalid(
            CAPTURE_TOO_MANY(most=MAX_EVENTS), errors={"epcisBody.eventList": [CAPTURE_TOO_MANY(most=MAX_EVENTS)]}
        )
    job = CaptureJob(
        public_id=secrets.token_urlsafe(12),
        organization_id=org,
        user_id=user.id,
        document=document,
        event_count=len(events),
    )
    db.session.add(job)
    db.session.flush()
    job_id, public_id = job.id, job.public_id
    # The task is queued in the job's transaction (nothing is lost while the broker is down) and sent after the
    # commit: the worker loads the job by id, so it must be there when the task arrives.
    queued = queue_task(TASK, job_id)
    db.session.commit()
    send_queued([queued])
    return get_capture(user, public_id)


def get_capture(user: User, public_id: str) -> CaptureJob:
    """A capture job of one of the user's organizations (404 otherwise)."""
    job = db.session.scalar(
        select(CaptureJob).where(CaptureJob.public_id == public_id).execution_options(populate_existing=True)
    )
    if job is None or job.organization_id not in actable_organization_ids(user):
        raise NotFound(NO_SUCH_CAPTURE(id=public_id))
    return job


# -- the worker ---------------------------------------------------------------------------------------------------


class EventRefused(Exception):
    """One event cannot be captured: its coded reason."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class _Element:
    epc_class: str
    quantity: Decimal | None
    uom: str | None


@dataclass
class _Capture:
    job: CaptureJob
    base_url: str
    # The vocabulary the document's @context binds our prefix to (another installation's), read as ours.
    sender_vocabulary: str | None = None
    master: dict[str, dict[str, Any]] = field(default_factory=dict)
    lots: dict[str, Batch] = field(default_factory=dict)  # class URI -> our lot, as resolved or made
    event_ids: dict[str, int] = field(default_factory=dict)  # document eventID -> our event id
    created: dict[str, str] = field(default_factory=dict)  # class URI -> code of a lot this capture made
    recorded: list[str] = field(default_factory=list)


def apply_capture(job_id: int) -> None:
    """Map the job's events into our model in one transaction, or record why not (idempotent: a finished job stays)."""
    job = db.session.get(CaptureJob, job_id, with_for_update=db.session.get_bind().dialect.name == "postgresql")
    if job is None or job.status is not CaptureStatus.PENDING:
        db.session.rollback()
        return
    capture = _Capture(job, current_app.config["PUBLIC_BASE_URL"], _sender_vocabulary(job.document))
    capture.master = _master_data(job.document)
    failures: list[dict] = []
    deferred: list[tuple[int, dict, Event]] = []
    for index, item in enumerate(job.document["epcisBody"]["eventList"]):
        known, created = dict(capture.lots), dict(capture.created)
        try:
            with db.session.begin_nested():
                event = _apply_event(capture, item)
            if item.get("errorDeclaration"):
                deferred.append((index, item, event))
            continue
        except EventRefused as refused:
            failures.append(_failure(index, item, refused.message, refused.field))
        except DomainError as error:
            failures.append(_failure(index, item, error.detail, None, error.errors))
        # The savepoint is gone, and with it the lots this event made: later events must not find them.
        capture.lots, capture.created = known, created
    for index, item, event in deferred:
        try:
            with db.session.begin_nested():
                _declare(capture, item, event)
        except EventRefused as refused:
            failures.append(_failure(index, item, refused.message, "errorDeclaration"))
    if failures:
        # All or nothing: undo every event this document wrote, then say why.
        db.session.rollback()
        job = db.session.get(CaptureJob, job_id)
        job.status = CaptureStatus.FAILED
        job.errors = sorted(failures, key=lambda f: f["index"])
    else:
        job.status = CaptureStatus.SUCCEEDED
        job.result = {"events": capture.recorded, "batches": capture.created}
    job.finished_at = utcnow()
    db.session.commit()


def _failure(index: int, item: dict, message: str, where: str | None, errors: dict | None = None) -> dict:
    failure = {
        "index": index,
        "eventID": item.get("eventID") if isinstance(item, dict) else None,
        "code": getattr(message, "code", "event_refused"),
        "message": str(message),
    }
    if where:
        failure["field"] = where
    if errors:
        failure["errors"] = {key: [str(m) for m in value] for key, value in errors.items()}
    return failure


def _sender_vocabulary(document: dict) -> str | None:
    contexts = document.get("@context")
    for item in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(item, dict) and isinstance(item.get(voc.PREFIX), str):
            return item[voc.PREFIX]
    return None


def _ours(capture: _Capture, value: str) -> str:
    """A term of the sender's copy of our vocabulary, written as a term of ours."""
    sender, own = capture.sender_vocabulary, voc.vocabulary_base(capture.base_url)
    if sender and sender != own and value.startswith(sender):
        return own + value[len(sender) :]
    return value


def _master_data(document: dict) -> dict[str, dict[str, Any]]:
    """Attributes of each EPCClass in the document's header, by class URI."""
    found: dict[str, dict[str, Any]] = {}
    vocabularies = ((document.get("epcisHeader") or {}).get("epcisMasterData") or {}).get("vocabularyList") or []
    for vocabulary in vocabularies:
        if vocabulary.get("type") != voc.EPC_CLASS_VOCABULARY:
            continue
        for element in vocabulary.get("vocabularyElementList") or []:
            attributes = {a["id"]: a.get("attribute") for a in element.get("attributes") or [] if "id" in a}
            found[element["id"]] = attributes
    return found


# -- one event ----------------------------------------------------------------------------------------------------


def _event_uuid(item: dict) -> str:
    """Our eventID for a captured event: its own when it is a UUID URN, else one derived from it, so that the same
    event sent twice is recognised."""
    given = item.get("eventID")
    if not given:
        return f"urn:uuid:{uuid.uuid4()}"
    if given.lower().startswith("urn:uuid:"):
        try:
            return f"urn:uuid:{uuid.UUID(given[9:])}"
        except ValueError:
            pass
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, given)}"


def _when(item: dict) -> tuple[datetime, str]:
    moment = datetime.fromisoformat(item["eventTime"].replace("Z", "+00:00"))
    if moment - FUTURE_SLACK > utcnow():
        raise EventRefused(EVENT_TIME_IN_FUTURE(time=item["eventTime"]), "eventTime")
    return moment, item["eventTimeZoneOffset"]


def _elements(item: dict, key: str, need_quantity: bool = True) -> list[_Element]:
    elements = []
    for raw in item.get(key) or []:
        epc_class = raw["epcClass"]
        if ":idpat:" in epc_class or epc_class.endswith("*"):
            raise EventRefused(CLASS_PATTERN_UNSUPPORTED(epc_class=epc_class), key)
        quantity, uom = raw.get("quantity"), raw.get("uom")
        if quantity is None or uom is None:
            if need_quantity:
                raise EventRefused(QUANTITY_NEEDED(epc_class=epc_class), key)
            elements.append(_Element(epc_class, None, None))
            continue
        if uom not in voc.UNIT_OF_UOM:
            raise EventRefused(UOM_UNSUPPORTED(uom=uom), key)
        amount = Decimal(str(quantity))
        if amount <= 0:
            raise EventRefused(QUANTITY_NOT_POSITIVE(epc_class=epc_class), key)
        elements.append(_Element(epc_class, amount, uom))
    return elements


def _known(capture: _Capture, epc_class: str) -> Batch | None:
    """Our lot for a class: one this capture made or met, a class captured before, or one of our own URIs."""
    if epc_class in capture.lots:
        return capture.lots[epc_class]
    org = capture.job.organization_id
    batch_id = db.session.scalar(
        select(CapturedClass.batch_id).where(CapturedClass.organization_id == org, CapturedClass.epc_class == epc_class)
    )
    batch = None
    if batch_id is not None:
        batch = db.session.get(Batch, batch_id)
    else:
        ours = voc.read_class(epc_class, capture.base_url)
        if ours is not None and ours.code:
            batch = db.session.scalar(select(Batch).where(Batch.code == ours.code.upper()))
        elif ours is not None:
            batch = db.session.scalar(
                select(Batch).where(Batch.gtin == ours.gtin, (Batch.lot_number == ours.lot) | (Batch.code == ours.lot))
            )
    if batch is not None:
        capture.lots[epc_class] = batch
    return batch


def _held(capture: _Capture, batch: Batch, *, active: bool = True) -> Batch:
    """``batch`` locked, checked to be the capturing organization's and (``active``) usable now."""
    batch = ledger.lock_batches([batch.id])[batch.id]
    if batch.custodian_id != capture.job.organization_id:
        raise EventRefused(LOT_NOT_YOURS(code=batch.code))
    if active and batch.status is not BatchStatus.ACTIVE:
        raise EventRefused(LOT_NOT_ACTIVE(code=batch.code, reason=batch.status.value))
    return batch


def _existing(capture: _Capture, element: _Element, key: str) -> Batch:
    batch = _known(capture, element.epc_class)
    if batch is None:
        raise EventRefused(UNKNOWN_LOT(epc_class=element.epc_class), key)
    batch = _held(capture, batch)
    if element.uom is not None and voc.UOM[batch.unit] != element.uom:
        raise EventRefused(UOM_NOT_LOT_UNIT(code=batch.code, unit=batch.unit, uom=element.uom), key)
    return batch


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _new_lot(capture: _Capture, element: _Element, *, inputs: list[Batch] = (), unknown_origin: bool = False) -> Batch:
    """A lot of the capturing organization for a class not known here, made from the document's master data."""
    if _known(capture, element.epc_class) is not None:
        raise EventRefused(LOT_ALREADY_EXISTS(epc_class=element.epc_class, code=capture.lots[element.epc_class].code))
    attributes = capture.master.get(element.epc_class)
    if not attributes or not attributes.get(voc.term("commodity")) or not attributes.get(voc.term("product")):
        raise EventRefused(LOT_MASTER_DATA_MISSING(epc_class=element.epc_class))
    commodity, product_code = attributes[voc.term("commodity")], attributes[voc.term("product")]
    try:
        form = catalog.product(product_code)
        grade = catalog.normalize_grade(form.code, attributes.get(voc.term("grade")))
        drc = attributes.get(voc.term("drcPercent"))
        drc = Decimal(str(drc)) if drc not in (None, "") else None
    except (ValidationError, InvalidOperation) as error:
        problem = next(iter(getattr(error, "errors", {}).values()), [str(error)])[0]
        raise EventRefused(LOT_MASTER_DATA_INVALID(epc_class=element.epc_class, problem=problem)) from None
    if form.commodity != commodity:
        problem = f"{product_code} is {form.commodity}, not {commodity}"
        raise EventRefused(LOT_MASTER_DATA_INVALID(epc_class=element.epc_class, problem=problem))
    starts = [b.harvest_start for b in inputs if b.harvest_start]
    ends = [b.harvest_end or b.harvest_start for b in inputs if b.harvest_end or b.harvest_start]
    batch = new_batch(
        commodity=form.commodity,
        product=form.code,
        grade=grade,
        unit=voc.UNIT_OF_UOM[element.uom],
        initial_quantity=element.quantity,
        drc_percent=drc,
        custodian_id=capture.job.organization_id,
        harvest_start=min(starts) if starts else _day(attributes.get("cbvmda:harvestStartDate")),
        harvest_end=max(ends) if ends else _day(attributes.get("cbvmda:harvestEndDate")),
        unknown_origin=unknown_origin or any(b.unknown_origin for b in inputs),
        note=None,
        created_by_id=capture.job.user_id,
    )
    db.session.add(
        CapturedClass(organization_id=capture.job.organization_id, epc_class=element.epc_class, batch_id=batch.id)
    )
    capture.lots[element.epc_class] = batch
    capture.created[element.epc_class] = batch.code
    return batch


def _step(item: dict, capture: _Capture, default: str) -> str:
    step = voc.read_biz_step(_ours(capture, item.get("bizStep") or default), capture.base_url)
    if not catalog.is_known_biz_step(step):
        raise EventRefused(BIZ_STEP_UNKNOWN(step=item.get("bizStep")), "bizStep")
    return catalog.biz_step_uri(step, capture.base_url)  # stored as the services store it


def _disposition(item: dict) -> str | None:
    disposition = voc.read_disposition(item.get("disposition"))
    if disposition is not None and disposition not in catalog.DISPOSITIONS:
        raise EventRefused(DISPOSITION_UNKNOWN(disposition=item.get("disposition")), "disposition")
    return disposition


def _measurements(item: dict, capture: _Capture) -> list[dict]:
    found = []
    for element in item.get("sensorElementList") or []:
        for report in element.get("sensorReport") or []:
            kind = voc.read_measurement_type(_ours(capture, report["type"]), capture.base_url)
            if kind is None or "value" not in report:
                raise EventRefused(MEASUREMENT_UNKNOWN(type=report["type"]), "sensorElementList")
            found.append({"type": kind, "value": report["value"]})
    try:
        return catalog.validate_measurements(found)
    except ValidationError as error:
        key, messages = next(iter(error.errors.items()))
        index = int(key.split(".")[1]) if key.count(".") >= 1 and key.split(".")[1].isdigit() else 0
        kind = found[index]["type"] if index < len(found) else ""
        raise EventRefused(MEASUREMENT_INVALID(type=kind, problem=messages[0]), "sensorElementList") from None


def _where(item: dict, capture: _Capture) -> tuple[int | None, str | None]:
    """The plot the event happened on, when its readPoint is one of the capturing organization's plots."""
    found = voc.read_site((item.get("readPoint") or {}).get("id", ""), capture.base_url)
    if found is None or found[0] != "plot":
        return None, None
    plot = db.session.get(Plot, int(found[1]))
    if plot is None or plot.organization_id != capture.job.organization_id:
        return None, None
    return plot.id, plot.commune_code


def _extra(item: dict, capture: _Capture) -> dict:
    """What we keep of the event's business context: its transactions and parties as the URIs it gave."""
    extra: dict[str, Any] = {"captured": {"job": capture.job.public_id, "eventID": item.get("eventID")}}
    transactions = [{"type": t.get("type"), "uri": t["bizTransaction"]} for t in item.get("bizTransactionList") or []]
    if transactions:
        extra["bizTransactionList"] = transactions
    for key, name in (("sourceList", "source"), ("destinationList", "destination")):
        parties = [{"type": p["type"], "uri": p[name]} for p in item.get(key) or []]
        if parties:
            extra[key] = parties
    return extra


def _origin_plots(item: dict, capture: _Capture) -> list[int]:
    """Origin plots the ILMD names that are the capturing organization's plots here."""
    ids = []
    for uri in (item.get("ilmd") or {}).get(voc.term("originPlots")) or []:
        found = voc.read_site(str(uri), capture.base_url)
        if found is not None and found[0] == "plot":
            ids.append(int(found[1]))
    if not ids:
        return []
    return sorted(
        db.session.scalars(select(Plot.id).where(Plot.id.in_(ids), Plot.organization_id == capture.job.organization_id))
    )


def _apply_event(capture: _Capture, item: dict) -> Event:
    kind = item.get("type")
    if kind not in SUPPORTED_TYPES:
        raise EventRefused(EVENT_TYPE_UNSUPPORTED(type=kind), "type")
    for name in INSTANCE_FIELDS:
        if item.get(name):
            raise EventRefused(INSTANCE_EPCS_UNSUPPORTED(field=name), name)
    event_uuid = _event_uuid(item)
    if db.session.scalar(select(Event.id).where(Event.event_uuid == event_uuid)) is not None:
        raise EventRefused(EVENT_ALREADY_CAPTURED(id=item.get("eventID")), "eventID")
    when, offset = _when(item)
    common = {
        "event_uuid": event_uuid,
        "organization_id": capture.job.organization_id,
        "user_id": capture.job.user_id,
        "event_time": when,
        "event_time_zone_offset": offset,
        "disposition": _disposition(item),
        "measurements": _measurements(item, capture),
        "extra": _extra(item, capture),
    }
    common["plot_id"], common["location_commune_code"] = _where(item, capture)
    if kind == "TransformationEvent":
        event = _transformation(capture, item, common)
    elif kind == "TransactionEvent":
        event = _observation(capture, item, common, EventType.TRANSACTION)
    elif item["action"] == "ADD":
        event = _addition(capture, item, common)
    elif item["action"] in ("OBSERVE", "DELETE"):
        event = _observation(capture, item, common, EventType.OBJECT)
    else:
        raise EventRefused(ACTION_UNSUPPORTED(type=kind, action=item.get("action")), "action")
    if item.get("eventID"):
        capture.event_ids[item["eventID"]] = event.id
    capture.recorded.append(event_uuid)
    return event


def _append(common: dict, **values) -> Event:
    """``ledger.append_event`` with what every captured event has; its eventID is given before the hash is taken."""
    return ledger.append_event(**common, **values)


def _addition(capture: _Capture, item: dict, common: dict) -> Event:
    """ObjectEvent ADD: the quantity list brought into being (new lots, or more in lots held here)."""
    added = _elements(item, "quantityList")
    if not added:
        raise EventRefused(NO_QUANTITIES, "quantityList")
    step = _step(item, capture, "commissioning")
    harvest = step == "commissioning" and all(_known(capture, e.epc_class) is None for e in added)
    plots = _origin_plots(item, capture) if harvest else []
    movements = []
    for element in added:
        batch = _known(capture, element.epc_class)
        if batch is None:
            batch = _new_lot(capture, element, unknown_origin=harvest and not plots)
            for plot_id in plots:
                db.session.add(BatchPlot(batch_id=batch.id, plot_id=plot_id))
        else:
            batch = _existing(capture, element, "quantityList")
            batch.initial_quantity += ledger.quantize(element.quantity)
        movements.append(ledger.Movement(batch, QuantityRole.OUTPUT, element.quantity))
    movements += _removed(capture, item)
    extra = common.pop("extra")
    operation = "harvest" if harvest else "process"
    if harvest:
        ilmd = item.get("ilmd") or {}
        first = movements[0].batch
        start = _day(ilmd.get("cbvmda:harvestStartDate")) or first.harvest_start or common["event_time"].date()
        end = _day(ilmd.get("cbvmda:harvestEndDate")) or first.harvest_end or start
        extra["ilmd"] = {"harvest_start": start.isoformat(), "harvest_end": end.isoformat(), "plot_ids": plots}
        if not plots:
            extra["origin_unknown"] = True
        for movement in movements:
            movement.batch.harvest_start = movement.batch.harvest_start or start
            movement.batch.harvest_end = movement.batch.harvest_end or end
    return _append(
        common,
        type=EventType.OBJECT,
        action="ADD",
        operation=operation,
        biz_step=step,
        movements=movements,
        extra=extra,
    )


def _removed(capture: _Capture, item: dict) -> list[ledger.Movement]:
    movements = []
    for key, role in (("removedQuantityList", QuantityRole.INPUT), ("addedQuantityList", QuantityRole.OUTPUT)):
        for element in _elements(item, voc.term(key)):
            batch = _existing(capture, element, voc.term(key))
            if role is QuantityRole.OUTPUT:
                batch.initial_quantity += ledger.quantize(element.quantity)
            movements.append(ledger.Movement(batch, role, element.quantity))
    return movements


def _observation(capture: _Capture, item: dict, common: dict, kind: EventType) -> Event:
    """OBSERVE, DELETE or a TransactionEvent on lots held here."""
    delete = kind is EventType.OBJECT and item["action"] == "DELETE"
    changed = _removed(capture, item)
    changing = {m.batch.id for m in changed}
    movements = []
    for element in _elements(item, "quantityList", need_quantity=False):
        batch = _known(capture, element.epc_class)
        if element.quantity is None:
            if batch is None or batch.id not in changing:
                raise EventRefused(QUANTITY_NEEDED(epc_class=element.epc_class), "quantityList")
            continue
        batch = _existing(capture, element, "quantityList")
        movements.append(
            ledger.Movement(batch, QuantityRole.INPUT if delete else QuantityRole.OBSERVED, element.quantity)
        )
    movements += changed
    if not movements:
        raise EventRefused(NO_QUANTITIES, "quantityList")
    event = _append(
        common,
        type=kind,
        action="DELETE" if delete else item["action"] if kind is EventType.OBJECT else item.get("action"),
        operation="process",
        biz_step=_step(item, capture, "other"),
        movements=movements,
    )
    for movement in movements:
        mark_consumed_if_empty(movement.batch)
    return event


def _transformation(capture: _Capture, item: dict, common: dict) -> Event:
    """Inputs consumed, output lots made from them (their origin plots and lineage edges)."""
    inputs_given = _elements(item, "inputQuantityList")
    outputs_given = _elements(item, "outputQuantityList")
    if not inputs_given or not outputs_given:
        raise EventRefused(NO_QUANTITIES, "inputQuantityList" if not inputs_given else "outputQuantityList")
    inputs: list[tuple[Batch, Decimal]] = []
    movements: list[ledger.Movement] = []
    for element in inputs_given:
        batch = _known(capture, element.epc_class)
        if batch is None:
            batch = _enter_unknown(capture, element, common)
        else:
            batch = _existing(capture, element, "inputQuantityList")
            _refuse_recalled(batch)
        inputs.append((batch, element.quantity))
        movements.append(ledger.Movement(batch, QuantityRole.INPUT, element.quantity))
    parents = [b for b, _q in inputs]
    plots = sorted(
        set(db.session.scalars(select(BatchPlot.plot_id).where(BatchPlot.batch_id.in_([b.id for b in parents]))))
    )
    outputs = []
    for element in outputs_given:
        lot = _new_lot(capture, element, inputs=parents)
        for plot_id in plots:
            db.session.add(BatchPlot(batch_id=lot.id, plot_id=plot_id))
        outputs.append(lot)
        movements.append(ledger.Movement(lot, QuantityRole.OUTPUT, element.quantity))
    operation = item.get(voc.term("operation"))
    if operation not in REPACKAGING_OPERATIONS:
        same = {b.product for b in parents} == {b.product for b in outputs}
        operation = "transform" if not same else "split" if len(parents) == 1 else "merge"
    event = _append(
        common,
        type=EventType.TRANSFORMATION,
        operation=operation,
        biz_step=_step(item, capture, "repackaging" if operation != "transform" else "other"),
        movements=movements,
    )
    for parent, taken in inputs:
        for child in outputs:
            db.session.add(
                BatchLink(parent_id=parent.id, child_id=child.id, event_id=event.id, quantity=ledger.quantize(taken))
            )
        mark_consumed_if_empty(parent)
    return event


def _refuse_recalled(batch: Batch) -> None:
    if db.session.scalar(select(RecalledBatch.id).where(RecalledBatch.batch_id == batch.id)) is not None:
        raise EventRefused(LOT_NOT_ACTIVE(code=batch.code, reason="recalled"), "inputQuantityList")


def _enter_unknown(capture: _Capture, element: _Element, common: dict) -> Batch:
    """An input never seen here: a lot of unknown origin, entered by a ``commission`` event of what it gave."""
    batch = _new_lot(capture, element, unknown_origin=True)
    ledger.append_event(
        type=EventType.OBJECT,
        action="ADD",
        operation="commission",
        biz_step="commissioning",
        disposition="active",
        organization_id=common["organization_id"],
        user_id=common["user_id"],
        event_time=common["event_time"],
        event_time_zone_offset=common["event_time_zone_offset"],
        movements=[ledger.Movement(batch, QuantityRole.OUTPUT, element.quantity)],
        extra={"captured": common["extra"]["captured"], "origin_unknown": True},
    )
    return batch


def _declare(capture: _Capture, item: dict, event: Event) -> None:
    declaration = item["errorDeclaration"]
    reason = declaration.get("reason") or "incorrect_data"
    reason = reason.removeprefix(CBV_ERROR_REASON_URI)
    if reason not in ERROR_REASONS:
        raise EventRefused(ERROR_REASON_UNKNOWN(reason=declaration.get("reason")))
    corrective = []
    for given in declaration.get("correctiveEventIDs") or []:
        found = capture.event_ids.get(given)
        if found is None:
            found = db.session.scalar(
                select(Event.id).where(
                    Event.event_uuid == _event_uuid({"eventID": given}),
                    Event.organization_id == capture.job.organization_id,
                )
            )
        if found is None:
            raise EventRefused(CORRECTED_EVENT_UNKNOWN(id=given))
        corrective.append(found)
    db.session.add(
        ErrorDeclaration(
            event_id=event.id,
            reason=reason,
            corrective_event_ids=corrective,
            declared_at=datetime.fromisoformat(declaration["declarationTime"].replace("Z", "+00:00")),
            declared_by_id=capture.job.user_id,
            organization_id=capture.job.organization_id,
        )
    )
    db.session.flush()
