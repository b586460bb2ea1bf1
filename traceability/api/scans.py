"""Scan counts of a lot for its holder: how many times its public trace page was opened, by day.

Not paged: the answer is one row per day of a range of at most 366 days.
"""

from __future__ import annotations

from flask.views import MethodView

from core.api import Blueprint
from core.security import api_user
from traceability.schemas.scans import ScanCountsSchema, ScanQuerySchema
from traceability.services import scans

blp = Blueprint("scans", __name__, description="How often each lot's trace page was opened")


@blp.route("/batches/<code>/scans")
class BatchScans(MethodView):
    @blp.authenticated
    @blp.arguments(ScanQuerySchema, location="query")
    @blp.response(200, ScanCountsSchema)
    def get(self, query, code):
        """Views of the lot's trace page per day (robots and link previews not counted; no visitor data kept). For
        whoever may act for the lot's holder."""
        return scans.scan_counts(api_user(), code, start=query["start"], end=query["end"])
