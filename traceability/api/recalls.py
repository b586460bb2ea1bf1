"""Recalls: mark a lot and every lot made from it as recalled."""

from __future__ import annotations

from flask.views import MethodView

from core.api import Blueprint
from core.security import api_user
from traceability.schemas.labels import RecallCreateSchema, RecallSchema
from traceability.services import recalls

blp = Blueprint("recalls", __name__, description="Recalls of lots and everything made from them")


@blp.route("/batches/<code>/recalls")
class BatchRecalls(MethodView):
    @blp.authenticated
    @blp.arguments(RecallCreateSchema)
    @blp.response(201, RecallSchema)
    @blp.alt_response(403, description="The caller may read the lot but neither holds it nor is a department officer")
    @blp.alt_response(404, description="No such lot that the caller may see")
    @blp.alt_response(409, description="The lot and every lot made from it are already recalled")
    def post(self, data, code):
        """Recall a lot and every lot made from it, with the reason; each gets a 'recalled' event on its history."""
        result = recalls.recall(api_user(), code, data["reason"])
        entry = result.recall
        return {
            "id": entry.id,
            "batch_code": result.batch_code,
            "reason": entry.reason,
            "at": entry.at,
            "organization_name": result.organization_name,
            "affected": result.affected,
        }
