"""Batches: harvest, list, read, events, split, lineage, verification and EUDR status."""

from __future__ import annotations

from dataclasses import asdict

from flask.views import MethodView

from core.api import Blueprint
from core.security import api_user
from traceability.schemas.batches import (
    BatchCreateSchema,
    BatchQuerySchema,
    BatchSchema,
    EudrStatusSchema,
    EventCreateSchema,
    EventSchema,
    LineageSchema,
    SplitResultSchema,
    SplitSchema,
    VerificationSchema,
)
from traceability.services import batches, eudr, integrity, lineage, operations
from traceability.services.summaries import describe_batch, describe_batches, describe_events

blp = Blueprint("batches", __name__, description="Batches, events, lineage and verification")


@blp.route("/batches")
class Batches(MethodView):
    @blp.authenticated
    @blp.arguments(BatchCreateSchema)
    @blp.response(201, BatchSchema)
    def post(self, data):
        """Register a harvest: a new lot commissioned from your plots."""
        return describe_batch(batches.record_harvest(api_user(), **data))

    @blp.authenticated
    @blp.arguments(BatchQuerySchema, location="query")
    @blp.response(200, BatchSchema(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Lots you hold or that are on their way to you (department officers: all), newest first."""
        p = pagination_parameters
        found, p.item_count = batches.list_batches(
            api_user(),
            commodity=query.get("commodity"),
            product=query.get("product"),
            custodian_id=query.get("custodian"),
            harvest_from=query.get("harvest_from"),
            harvest_to=query.get("harvest_to"),
            offset=p.first_item,
            limit=p.page_size,
        )
        return describe_batches(found)


@blp.route("/batches/<code>")
class BatchByCode(MethodView):
    @blp.authenticated
    @blp.response(200, BatchSchema)
    def get(self, code):
        """One lot, with what remains of it, its origin plots and EUDR readiness."""
        return describe_batch(batches.get_batch(api_user(), code))


@blp.route("/batches/<code>/events")
class BatchEvents(MethodView):
    @blp.authenticated
    @blp.response(200, EventSchema(many=True))
    @blp.paginate()
    def get(self, code, pagination_parameters):
        """The lot's events in the order they happened; corrected ones are flagged, never removed."""
        p = pagination_parameters
        _batch, events, p.item_count = batches.batch_events(api_user(), code, offset=p.first_item, limit=p.page_size)
        return describe_events(events)

    @blp.authenticated
    @blp.arguments(EventCreateSchema)
    @blp.response(201, EventSchema)
    def post(self, data, code):
        """Record a process step (drying, grading, inspecting...) with measurements, photos and an optional weight
        loss."""
        return describe_events([batches.record_step(api_user(), code, **data)])[0]


@blp.route("/batches/<code>/split")
class BatchSplit(MethodView):
    @blp.authenticated
    @blp.arguments(SplitSchema)
    @blp.response(201, SplitResultSchema)
    def post(self, data, code):
        """Split a lot into new lots; the parts add up to at most what remains."""
        parent, parts = operations.split(api_user(), code, **data)
        described = describe_batches([parent, *parts])
        return {"batch": described[0], "parts": described[1:]}


@blp.route("/batches/<code>/lineage")
class BatchLineage(MethodView):
    @blp.authenticated
    @blp.response(200, LineageSchema)
    def get(self, code):
        """Every lot this one came from (back to the farms) and went into, with origin plots and custody."""
        return lineage.lineage(api_user(), code)


@blp.route("/batches/<code>/verification")
class BatchVerification(MethodView):
    @blp.authenticated
    @blp.response(200, VerificationSchema)
    def get(self, code):
        """Recompute the hash chain over the lot's whole lineage; names the first event that was altered."""
        return integrity.verify(api_user(), code)


@blp.route("/batches/<code>/eudr")
class BatchEudr(MethodView):
    @blp.authenticated
    @blp.response(200, EudrStatusSchema)
    def get(self, code):
        """Whether a rubber lot has everything the EU Deforestation Regulation asks for, and what is missing."""
        batch, state = eudr.batch_readiness(api_user(), code)
        return {
            "code": batch.code,
            "applicable": state.applicable,
            "ready": state.ready,
            "reasons": state.reasons,
            "problems": [asdict(p) for p in state.problems],
        }
