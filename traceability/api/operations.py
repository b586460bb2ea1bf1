"""Operations across lots and organizations: merges, transformations, shipments and corrections."""

from __future__ import annotations

from flask.views import MethodView

from core.api import Blueprint
from core.security import api_user
from traceability.schemas.batches import (
    CorrectionResultSchema,
    CorrectionSchema,
    MergeResultSchema,
    MergeSchema,
    ReceiveSchema,
    ShipmentCreateSchema,
    ShipmentSchema,
    TransformationResultSchema,
    TransformationSchema,
)
from traceability.services import corrections, custody, operations
from traceability.services.summaries import describe_batch, describe_batches, describe_events

blp = Blueprint("operations", __name__, description="Merges, transformations, shipments and corrections")


def _shipment(shipment) -> dict:
    return {
        "id": shipment.id,
        "batch_code": custody.batch_code(shipment),
        "status": shipment.status.value,
        "from_organization_id": shipment.from_organization_id,
        "to_organization_id": shipment.to_organization_id,
        "reference": shipment.reference,
        "shipped_at": shipment.shipped_at,
        "received_at": shipment.received_at,
    }


@blp.route("/merges")
class Merges(MethodView):
    @blp.authenticated
    @blp.arguments(MergeSchema)
    @blp.response(201, MergeResultSchema)
    def post(self, data):
        """Merge whole lots of one product and grade that you hold into a new lot (origin plots: the union)."""
        merged, warnings = operations.merge(
            api_user(), data["inputs"], note=data["note"], event_time=data["event_time"]
        )
        return {"batch": describe_batch(merged), "warnings": warnings}


@blp.route("/transformations")
class Transformations(MethodView):
    @blp.authenticated
    @blp.arguments(TransformationSchema)
    @blp.response(201, TransformationResultSchema)
    def post(self, data):
        """Turn inputs into outputs of another form; a yield outside the commodity's band needs a reason and is
        flagged."""
        event, outputs = operations.transform(api_user(), **data)
        return {
            "event": describe_events([event])[0],
            "outputs": describe_batches(outputs),
            "anomaly": event.anomaly_reason is not None,
        }


@blp.route("/shipments")
class Shipments(MethodView):
    @blp.authenticated
    @blp.arguments(ShipmentCreateSchema)
    @blp.response(201, ShipmentSchema)
    def post(self, data):
        """Ship a whole lot to another organization; it is in transit until they confirm receipt."""
        return _shipment(custody.ship(api_user(), data.pop("batch_code"), **data))


@blp.route("/shipments/<int:shipment_id>")
class ShipmentById(MethodView):
    @blp.authenticated
    @blp.response(200, ShipmentSchema)
    def get(self, shipment_id):
        """A shipment you send or receive."""
        return _shipment(custody.get_shipment(api_user(), shipment_id))


@blp.route("/shipments/<int:shipment_id>/receive")
class ShipmentReceive(MethodView):
    @blp.authenticated
    @blp.arguments(ReceiveSchema)
    @blp.response(200, ShipmentSchema)
    def post(self, data, shipment_id):
        """Confirm receipt (the receiving organization only): the lot becomes yours."""
        return _shipment(custody.receive(api_user(), shipment_id, **data))


@blp.route("/events/<int:event_id>/corrections")
class EventCorrections(MethodView):
    @blp.authenticated
    @blp.arguments(CorrectionSchema)
    @blp.response(201, CorrectionResultSchema)
    def post(self, data, event_id):
        """Declare an event wrong (did_not_occur | incorrect_data) with corrective events; the original stays."""
        declaration, events = corrections.correct(api_user(), event_id, **data)
        return {
            "event_id": declaration.event_id,
            "reason": declaration.reason,
            "note": declaration.note,
            "declared_at": declaration.declared_at,
            "corrective_events": describe_events(events),
        }
