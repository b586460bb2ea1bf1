"""Label sheets: ask for a PDF of bag labels, follow its progress, download it."""

from __future__ import annotations

from flask import Response, url_for
from flask.views import MethodView

from core.api import Blueprint
from core.security import api_user
from traceability.models import LabelJob, LabelJobStatus
from traceability.schemas.labels import LabelSheetCreateSchema, LabelSheetSchema
from traceability.services import labels

blp = Blueprint("label_sheets", __name__, description="Printable bag labels with QR codes (PDF)")


def _describe(job: LabelJob) -> dict:
    done = job.status is LabelJobStatus.DONE
    return {
        "id": job.public_id,
        "batch_code": labels.job_batch_code(job),
        "format": job.label_format.value,
        "count": job.label_count,
        "net_weight_kg": job.net_weight_kg,
        "status": job.status.value,
        "progress": job.progress,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "status_url": url_for("label_sheets.LabelSheet", public_id=job.public_id),
        "download_url": url_for("label_sheets.LabelSheetDownload", public_id=job.public_id) if done else None,
    }


@blp.route("/batches/<code>/label-sheets")
class BatchLabelSheets(MethodView):
    @blp.authenticated
    @blp.arguments(LabelSheetCreateSchema)
    @blp.response(202, LabelSheetSchema)
    @blp.alt_response(404, description="No such lot, or the caller may not act for its holder")
    def post(self, data, code):
        """Make a PDF of labels for the lot's bags: QR code, product, lot, net weight, harvest date, producer.

        Up to 50 labels are drawn at once (status done in the answer); more (up to
        500) are drawn by a worker: poll status_url until download_url appears.
        """
        job = labels.request_label_sheet(
            api_user(), code, count=data["count"], label_format=data["format"], net_weight_kg=data["net_weight_kg"]
        )
        described = _describe(job)
        return described, {"Location": described["status_url"]}


@blp.route("/label-sheets/<public_id>")
class LabelSheet(MethodView):
    @blp.authenticated
    @blp.response(200, LabelSheetSchema)
    def get(self, public_id):
        """A label sheet's status and progress, and its download URL once it is done."""
        return _describe(labels.get_label_job(api_user(), public_id))


@blp.route("/label-sheets/<public_id>/download")
class LabelSheetDownload(MethodView):
    @blp.authenticated
    @blp.response(
        200, {"type": "string", "format": "binary"}, content_type="application/pdf", description="The label sheet (PDF)"
    )
    def get(self, public_id):
        """The finished label sheet as a PDF; 404 while it is not done."""
        job, stored = labels.label_sheet_file(api_user(), public_id)
        response = Response(stored.chunks(), mimetype=labels.CONTENT_TYPE, direct_passthrough=True)
        response.call_on_close(stored.close)
        if stored.size is not None:
            response.content_length = stored.size
        response.headers["Content-Disposition"] = f'attachment; filename="{labels.download_name(job)}"'
        return response
