"""Label sheets for the bags of a lot: the form, the progress page (refreshes itself, no JavaScript) and the PDF."""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.errors import ValidationError
from traceability.models import LabelJobStatus
from traceability.services import labels, summaries
from traceability.views import bp

INVALID = 422
FORMAT_OPTIONS = [
    ("a4", _l("A4 sheets, 24 labels per sheet (70 × 37 mm)")),
    ("thermal", _l("Thermal labels, 100 × 150 mm")),
]
REFRESH_SECONDS = 2
STATUS_LABELS = {
    LabelJobStatus.PENDING: _l("Waiting"),
    LabelJobStatus.RUNNING: _l("Being made"),
    LabelJobStatus.DONE: _l("Ready"),
    LabelJobStatus.FAILED: _l("Failed"),
}
FORMAT_NAMES = {"a4": _l("A4 sheets"), "thermal": _l("Thermal labels")}


def _form(code: str, values, errors: dict, status: int = 200):
    batch, jobs = labels.recent_jobs(current_user, code)
    return render_template(
        "traceability/labels/form.html",
        batch=summaries.describe_batch(batch),
        jobs=jobs,
        values=values,
        errors=errors,
        format_options=FORMAT_OPTIONS,
        status_labels=STATUS_LABELS,
        format_names=FORMAT_NAMES,
    ), status


@bp.get("/batches/<code>/labels")
@login_required
def label_form(code):
    return _form(code, request.args, {})


@bp.post("/batches/<code>/labels")
@login_required
def label_create(code):
    form = request.form
    try:
        job = labels.request_label_sheet(
            current_user,
            code,
            count=form.get("count", ""),
            label_format=form.get("format", ""),
            net_weight_kg=form.get("net_weight_kg", ""),
        )
    except ValidationError as error:
        return _form(code, form, error.errors or {"_form": [error.detail]}, INVALID)
    return redirect(url_for("traceability.label_sheet", public_id=job.public_id), code=303)


@bp.get("/label-sheets/<public_id>")
@login_required
def label_sheet(public_id):
    job = labels.get_label_job(current_user, public_id)
    state = {LabelJobStatus.DONE: "done", LabelJobStatus.FAILED: "failed"}.get(job.status, "working")
    response = Response(
        render_template(
            "traceability/labels/sheet.html",
            job=job,
            batch_code=labels.job_batch_code(job),
            state=state,
            refresh=REFRESH_SECONDS,
        )
    )
    response.headers["Cache-Control"] = "no-store"  # progress changes from one refresh to the next
    return response


@bp.get("/label-sheets/<public_id>/download")
@login_required
def label_sheet_download(public_id):
    job, stored = labels.label_sheet_file(current_user, public_id)
    response = Response(stored.chunks(), mimetype=labels.CONTENT_TYPE, direct_passthrough=True)
    response.call_on_close(stored.close)
    if stored.size is not None:
        response.content_length = stored.size
    response.headers["Content-Disposition"] = f'attachment; filename="{labels.download_name(job)}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response
