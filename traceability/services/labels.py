"""Label sheets: ask for a PDF of labels for the bags of a batch, render it, hand it out.

Only someone who may act for the batch's custodian makes or downloads labels;
anyone else is told the batch (or the sheet) does not exist. A sheet of up to
``INLINE_MAX`` labels is drawn in the request; a larger one (up to
``MAX_LABELS``) by the Celery task ``traceability.render_label_sheet``, sent
after the job row is committed, which moves the row's ``progress`` as pages are
drawn so that the page can show how far it got.

Labels are printed in Vietnamese with English below whatever the requester's
language: a bag travels to buyers of both.
"""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from core.accounts.models import Organization, User
from core.accounts.permissions import actable_organization_ids
from core.db import utcnow
from core.errors import NotFound
from core.extensions import db
from core.geo.services import get_commune
from core.i18n import day, number
from core.numbers import parse_decimal, request_locale
from core.outbox import queue_task, send_queued
from core.storage import ObjectNotFound, StoredObject, get_storage
from traceability import qr
from traceability.catalog import PRODUCTS, to_kg
from traceability.digital_link import lot_for
from traceability.errors import BatchNotFoundError
from traceability.labels import LabelContent, Line, write_labels
from traceability.messages import (
    LABEL_COUNT,
    LABEL_FORMAT,
    LABEL_SHEET_GONE,
    LABEL_SHEET_NOT_FOUND,
    LABEL_SHEET_NOT_READY,
    LABEL_WEIGHT,
    LABEL_WEIGHT_TOO_LARGE,
    LABELS_MORE_THAN_LOT,
)
from traceability.models import Batch, BatchPlot, LabelFormat, LabelJob, LabelJobStatus, Plot
from traceability.services.access import find_batch
from traceability.services.event_input import Errors

INLINE_MAX = 50
MAX_LABELS = 500
MAX_NET_WEIGHT_KG = Decimal(1000)
TASK = "traceability.render_label_sheet"
CONTENT_TYPE = "application/pdf"


@dataclass(frozen=True)
class LabelRequest:
    count: int
    label_format: LabelFormat
    net_weight_kg: Decimal


def _actable_batch(user: User | None, code: str) -> Batch:
    """The batch, if ``user`` may act for its custodian; 404 for everyone else (department officers included)."""
    batch = find_batch(code)
    if batch is None or user is None or batch.custodian_id not in actable_organization_ids(user):
        raise BatchNotFoundError(code)
    return batch


def clean_request(batch: Batch, count: Any, label_format: Any, net_weight_kg: Any) -> LabelRequest:
    """The checked request; a ``ValidationError`` naming count, format or net_weight_kg otherwise."""
    errors = Errors()
    try:
        wanted = int(str(count).strip()) if not isinstance(count, bool) else None
    except (TypeError, ValueError):
        wanted = None
    if wanted is None or not 1 <= wanted <= MAX_LABELS:
        errors.add("count", LABEL_COUNT)
    chosen = label_format if label_format in {f.value for f in LabelFormat} else None
    if chosen is None:
        errors.add("format", LABEL_FORMAT)
    weight = parse_decimal(net_weight_kg, locale=request_locale())
    if weight is None or weight <= 0:
        errors.add("net_weight_kg", LABEL_WEIGHT)
    elif weight > MAX_NET_WEIGHT_KG:
        errors.add("net_weight_kg", LABEL_WEIGHT_TOO_LARGE)
    elif (
        wanted is not None
        and 1 <= wanted <= MAX_LABELS
        and weight * wanted > to_kg(batch.quantity_remaining, batch.unit)
    ):
        # What is left to bag, not what was harvested: split-off or dried-away kilograms get no labels.
        errors.add("count", LABELS_MORE_THAN_LOT)
    errors.raise_if_any()
    return LabelRequest(wanted, LabelFormat(chosen), weight.quantize(Decimal("0.0001")))


def request_label_sheet(user: User | None, code: str, *, count: Any, label_format: Any, net_weight_kg: Any) -> LabelJob:
    """Record a label job and have it rendered: here when it is small, by a worker otherwise."""
    batch = _actable_batch(user, code)
    wanted = clean_request(batch, count, label_format, net_weight_kg)
    job = LabelJob(
        public_id=secrets.token_urlsafe(12),
        batch_id=batch.id,
        organization_id=batch.custodian_id,
        requested_by_id=user.id,
        label_format=wanted.label_format,
        label_count=wanted.count,
        net_weight_kg=wanted.net_weight_kg,
    )
    db.session.add(job)
    db.session.flush()
    job_id = job.id
    # In the job's own transaction: a sheet recorded while the broker is down is still drawn once it is back.
    queued = [] if wanted.count <= INLINE_MAX else [queue_task(TASK, job_id)]
    db.session.commit()
    if wanted.count <= INLINE_MAX:
        render_label_job(job_id)
    else:
        send_queued(queued)
    return db.session.get(LabelJob, job_id, populate_existing=True)


def _commune_line(batch: Batch, producer: Organization | None) -> str:
    """The producer's commune (the custodian's, else the one origin plot's commune) with its province."""
    code = producer.commune_code if producer is not None else None
    if not code:
        code = db.session.scalar(
            select(Plot.commune_code)
            .join(BatchPlot, BatchPlot.plot_id == Plot.id)
            .where(BatchPlot.batch_id == batch.id)
            .limit(1)
        )
    commune = get_commune(code) if code else None
    if commune is None:
        return ""
    return ", ".join(part for part in (commune.name, commune.province_name) if part)


def _harvest_text(batch: Batch) -> str:
    if batch.harvest_start is None:
        return ""
    if batch.harvest_end is None or batch.harvest_end == batch.harvest_start:
        return day(batch.harvest_start)
    return f"{day(batch.harvest_start)} – {day(batch.harvest_end)}"


def _language_lines(batch: Batch, net_weight_kg: Decimal) -> tuple[str, str, str, str]:
    """(product, lot, weight, harvest) in the locale in force."""
    found = PRODUCTS.get(batch.product)
    product = str(found.name) if found else batch.product
    if batch.grade:
        product = f"{product} · {batch.grade}"
    harvest = _harvest_text(batch)
    return (
        product,
        _("Lot code: %(code)s", code=batch.code),
        _("Net weight: %(weight)s kg", weight=number(net_weight_kg)),
        _("Harvest date: %(date)s", date=harvest) if harvest else "",
    )


def label_content(batch: Batch, net_weight_kg: Decimal) -> LabelContent:
    """Everything a label of ``batch`` shows, Vietnamese first and English below."""
    producer = db.session.get(Organization, batch.custodian_id)
    with force_locale("vi"):
        vi = _language_lines(batch, net_weight_kg)
        producer_vi, bag_vi = _("Producer"), _("Bag %(number)s/%(count)s", number="{number}", count="{count}")
    with force_locale("en"):
        en = _language_lines(batch, net_weight_kg)
        producer_en, bag_en = _("Producer"), _("Bag %(number)s/%(count)s", number="{number}", count="{count}")
    lines = [Line(vi[0], "title"), Line(en[0], "english")]
    for vi_text, en_text in zip(vi[1:], en[1:], strict=True):
        lines += [Line(vi_text, "body"), Line(en_text, "english")]
    lines.append(Line(producer_vi if producer_vi == producer_en else f"{producer_vi} / {producer_en}", "caption"))
    lines += [Line(producer.name if producer else "", "body"), Line(_commune_line(batch, producer), "body")]
    lot = lot_for(batch.code, batch.lot_number)
    if batch.gtin and lot:
        lines.append(Line(f"GTIN {batch.gtin} · (10) {lot}", "small"))
    base_url = current_app.config["PUBLIC_BASE_URL"]
    return LabelContent(
        qr_content=qr.content_for(base_url, batch.code, batch.gtin, batch.lot_number),
        lines=tuple(line for line in lines if line.text),
        bag_line=bag_vi if bag_vi == bag_en else f"{bag_vi} · {bag_en}",
        title=f"{vi[0]} · {batch.code}",
    )


def file_key(job: LabelJob) -> str:
    # Storage keys start with a letter or digit; a random id may start with "-" or "_".
    return f"labels/sheet-{job.public_id}.pdf"


def render_label_job(job_id: int) -> None:
    """Draw the job's PDF into file storage, moving its progress as pages are done (idempotent: a rerun redraws it)."""
    job = db.session.get(LabelJob, job_id)
    if job is None or job.status is LabelJobStatus.DONE:
        return
    job.status, job.progress, job.error = LabelJobStatus.RUNNING, 0, None
    db.session.commit()
    batch = db.session.get(Batch, job.batch_id)
    # Commit progress about twenty times per sheet: the page polling it needs no finer steps.
    step = max(job.label_count // 20, 1)
    reported = [0]

    def progress(done: int) -> None:
        if done - reported[0] >= step or done == job.label_count:
            reported[0] = done
            job.progress = done
            db.session.commit()

    try:
        # Drawn into a temporary file and stored from it: the sheet is never whole in memory.
        with tempfile.TemporaryFile() as pdf:
            content = label_content(batch, job.net_weight_kg)
            write_labels(content, job.label_format.value, job.label_count, pdf, progress=progress)
            pdf.seek(0)
            key = file_key(job)
            get_storage().put_file(key, pdf, CONTENT_TYPE)
    except Exception as exc:
        db.session.rollback()
        current_app.logger.exception("label sheet %s failed", job_id)
        job.status, job.error, job.finished_at = LabelJobStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000], utcnow()
        db.session.commit()
        return
    job.status, job.file_key, job.progress, job.finished_at = LabelJobStatus.DONE, key, job.label_count, utcnow()
    db.session.commit()


def get_label_job(user: User | None, public_id: str) -> LabelJob:
    """The job, if ``user`` may act for the organization it was made for; 404 otherwise."""
    job = db.session.scalar(select(LabelJob).where(LabelJob.public_id == public_id))
    if job is None or user is None or job.organization_id not in actable_organization_ids(user):
        raise NotFound(LABEL_SHEET_NOT_FOUND)
    return job


def label_sheet_file(user: User | None, public_id: str) -> tuple[LabelJob, StoredObject]:
    """The finished PDF, opened for streaming; 404 while it is not ready (or gone)."""
    job = get_label_job(user, public_id)
    if job.status is not LabelJobStatus.DONE or not job.file_key:
        raise NotFound(LABEL_SHEET_NOT_READY)
    try:
        return job, get_storage().open(job.file_key)
    except ObjectNotFound:
        raise NotFound(LABEL_SHEET_GONE) from None


def recent_jobs(user: User | None, code: str, limit: int = 5) -> tuple[Batch, list[LabelJob]]:
    """The batch and its latest label jobs, for the labels page."""
    batch = _actable_batch(user, code)
    jobs = db.session.scalars(
        select(LabelJob).where(LabelJob.batch_id == batch.id).order_by(LabelJob.id.desc()).limit(limit)
    ).all()
    return batch, list(jobs)


def job_batch_code(job: LabelJob) -> str:
    return db.session.scalar(select(Batch.code).where(Batch.id == job.batch_id))


def download_name(job: LabelJob) -> str:
    return f"labels-{job_batch_code(job)}-{job.label_count}-{job.label_format.value}.pdf"
