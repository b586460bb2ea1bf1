"""EPCIS 2.0 over HTTP: a subset of GS1's REST binding (events query, one event, capture) and a lot's lineage.

Every answer carries ``GS1-EPCIS-Version``; documents are JSON-LD
(``application/ld+json``); errors are RFC 7807 problem JSON like the rest of the API.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Response, request, url_for
from flask.views import MethodView
from marshmallow import Schema, fields

from core.api import Blueprint
from core.errors import DomainError
from core.security import api_user
from traceability.epcis import capture, export, query
from traceability.models import CaptureJob, CaptureStatus

blp = Blueprint("epcis", __name__, description="GS1 EPCIS 2.0: query and capture events, export a lot's lineage")

LD_JSON = "application/ld+json"
EPCIS_HEADERS = {
    "GS1-EPCIS-Version": {
        "description": "The EPCIS version of the answer",
        "schema": {"type": "string", "enum": ["2.0.0"]},
    },
    "GS1-CBV-Version": {
        "description": "The CBV version of the answer",
        "schema": {"type": "string", "enum": ["2.0.0"]},
    },
}
DOCUMENT = {"type": "object", "description": "EPCIS 2.0 JSON-LD, valid against GS1's EPCIS 2.0 JSON schema"}


class NotJson(DomainError):
    status = 415
    title = "Unsupported media type"
    code = "unsupported_media_type"


def _ld(document: dict, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(json.dumps(document, ensure_ascii=False), status=status, mimetype=LD_JSON)
    response.headers["GS1-EPCIS-Version"] = "2.0.0"
    response.headers["GS1-CBV-Version"] = "2.0.0"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _query_parameters():
    return [
        {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": description}
        for name, description in (
            ("EQ_bizStep", "Business steps (CBV words or URIs), several joined by |"),
            ("MATCH_epc", "Lot classes (EPC class URIs), several joined by |: lots are traced by class here"),
            ("MATCH_anyEPCClass", "EPC class URIs in any quantity list, several joined by |"),
            ("GE_eventTime", "Events at or after this time (ISO 8601 with offset)"),
            ("LT_eventTime", "Events before this time (ISO 8601 with offset)"),
            ("EQ_bizLocation", "Business location URIs, several joined by |"),
            ("nextPageToken", "The token of the next page, from the previous answer's Link header"),
        )
    ] + [
        {
            "name": "perPage",
            "in": "query",
            "required": False,
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": query.PER_PAGE_MAX,
                "default": query.PER_PAGE_DEFAULT,
            },
            "description": "Events per page",
        }
    ]


@blp.route("/epcis/events")
class EpcisEvents(MethodView):
    @blp.authenticated
    @blp.doc(parameters=_query_parameters())
    @blp.response(
        200,
        DOCUMENT,
        content_type=LD_JSON,
        description="An EPCISQueryDocument of the matching events, oldest recorded first",
        headers={
            **EPCIS_HEADERS,
            "Link": {
                "description": 'The next page, as <url>; rel="next", while there is one',
                "schema": {"type": "string"},
            },
        },
    )
    @blp.alt_response(400, description="A query parameter this server does not take, or cannot read")
    def get(self):
        """Events you may see (your organizations' own, and those of lots in the lineage of lots you hold or held)
        matching the SimpleEventQuery parameters, a page at a time."""
        asked = query.parse_query(request.args.to_dict(flat=False))
        page = query.events(api_user(), asked)
        headers = {}
        if page.next_token:
            arguments = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "nextPageToken"}
            arguments["nextPageToken"] = [page.next_token]
            link = url_for("epcis.EpcisEvents", _external=True) + "?" + urlencode(arguments, doseq=True)
            headers["Link"] = f'<{link}>; rel="next"'
        return _ld(export.query_document(page.events), headers=headers)


@blp.route("/epcis/events/<event_id>")
class EpcisEvent(MethodView):
    @blp.authenticated
    @blp.response(
        200, DOCUMENT, content_type=LD_JSON, description="The event as EPCIS 2.0 JSON-LD", headers=EPCIS_HEADERS
    )
    @blp.alt_response(404, description="No such event, or not one you may see")
    def get(self, event_id):
        """One event by its eventID (urn:uuid:...)."""
        return _ld(export.single_event(query.event(api_user(), event_id)))


@blp.route("/batches/<code>/epcis")
class BatchEpcis(MethodView):
    @blp.authenticated
    @blp.response(
        200,
        DOCUMENT,
        content_type=LD_JSON,
        description="An EPCISDocument of every event of the lot's lineage, with its lots' master data",
        headers=EPCIS_HEADERS,
    )
    @blp.alt_response(404, description="No such lot, or not one you may see")
    def get(self, code):
        """The whole lineage of a lot (back to the farms, forward to the buyers) as one EPCISDocument."""
        _batch, events = query.lineage_events(api_user(), code)
        return _ld(export.document(events))


class CaptureErrorSchema(Schema):
    index = fields.Integer(required=True, metadata={"description": "The event's position in eventList, from 0"})
    eventID = fields.String(required=True, allow_none=True)
    code = fields.String(required=True, metadata={"description": "What is wrong, as a stable code"})
    message = fields.String(required=True)
    field = fields.String(metadata={"description": "The event's field at fault, where one is"})
    errors = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), metadata={"description": "Field errors"}
    )


class CaptureJobSchema(Schema):
    captureID = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": [s.value for s in CaptureStatus]})
    running = fields.Boolean(required=True)
    success = fields.Boolean(required=True, allow_none=True, metadata={"description": "null while running"})
    captureErrorBehaviour = fields.String(required=True, metadata={"enum": ["rollback"]})
    organization_id = fields.Integer(required=True)
    event_count = fields.Integer(required=True)
    createdAt = fields.DateTime(required=True)
    finishedAt = fields.DateTime(required=True, allow_none=True)
    errors = fields.List(fields.Nested(CaptureErrorSchema), required=True)
    events = fields.List(
        fields.String(), required=True, metadata={"description": "Our eventIDs of the recorded events, in order"}
    )
    batches = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "Class URI → code of each lot the capture made"},
    )
    status_url = fields.String(required=True)


class CaptureQuerySchema(Schema):
    organization_id = fields.Integer(
        metadata={"description": "Which of your organizations the events are for (needed when you act for several)"}
    )


def _describe(job: CaptureJob) -> dict:
    running = job.status is CaptureStatus.PENDING
    return {
        "captureID": job.public_id,
        "status": job.status.value,
        "running": running,
        "success": None if running else job.status is CaptureStatus.SUCCEEDED,
        "captureErrorBehaviour": "rollback",
        "organization_id": job.organization_id,
        "event_count": job.event_count,
        "createdAt": job.created_at,
        "finishedAt": job.finished_at,
        "errors": job.errors or [],
        "events": (job.result or {}).get("events", []),
        "batches": (job.result or {}).get("batches", {}),
        "status_url": url_for("epcis.EpcisCaptureJob", capture_id=job.public_id),
    }


CAPTURE_BODY = {
    "required": True,
    "description": "An EPCISDocument (EPCIS 2.0 JSON-LD)",
    "content": {ct: {"schema": DOCUMENT} for ct in (LD_JSON, "application/json")},
}


@blp.route("/epcis/capture")
class EpcisCapture(MethodView):
    @blp.authenticated
    @blp.arguments(CaptureQuerySchema, location="query")
    @blp.doc(requestBody=CAPTURE_BODY)
    @blp.response(202, CaptureJobSchema, headers={"Location": {"schema": {"type": "string"}}, **EPCIS_HEADERS})
    @blp.alt_response(400, description="Not JSON, or not a valid EPCISDocument: the schema's errors by path")
    @blp.alt_response(415, description="The body is not JSON (send application/ld+json or application/json)")
    @blp.alt_response(503, description="This server has no EPCIS schema to validate against")
    def post(self, arguments):
        """Capture an EPCISDocument: validated now, applied by a worker, all events or none; poll status_url."""
        if not request.is_json:
            raise NotJson("Send the EPCISDocument as application/ld+json or application/json.")
        document = request.get_json(silent=True)
        if document is None:
            raise capture.SchemaInvalid("The body is not valid JSON.")
        job = capture.request_capture(api_user(), document, arguments.get("organization_id"))
        described = _describe(job)
        return (
            described,
            202,
            {"Location": described["status_url"], "GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"},
        )


@blp.route("/epcis/capture/<capture_id>")
class EpcisCaptureJob(MethodView):
    @blp.authenticated
    @blp.response(200, CaptureJobSchema, headers=EPCIS_HEADERS)
    @blp.alt_response(404, description="No such capture job of your organizations")
    def get(self, capture_id):
        """A capture job: running, or finished with success or each failing event's errors."""
        response = _describe(capture.get_capture(api_user(), capture_id))
        return response, 200, {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}
