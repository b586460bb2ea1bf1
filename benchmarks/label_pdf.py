"""Label PDF: the time of a 1,000-label sheet through the render job, and whether memory stays flat in the count.

Time: a label job of 1,000 labels (A4, 24 a page, and thermal, one a page) is
rendered by ``render_label_job``, the task's body: it reads the lot, lays out the
text, draws the PDF and puts it in file storage, committing progress as it goes.
The job's count is set directly: the request form caps a sheet at 500 labels,
a cap the worker path does not depend on.

Memory: for each count (100, 1,000 and 3,000 labels) a fresh Python process
draws the sheet with the same content into a temporary file (``traceability.labels.write_labels``, the
job's drawing) and reports the tracemalloc peak of the drawing and the growth of
its resident memory. The slope (bytes per label, least squares over the counts)
says whether the rendering holds the sheet in memory as it goes.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from decimal import Decimal

from benchmarks.harness import ROOT, Options, backends, before_fix, bench_app, target_lines

NAME = "label_pdf"
TIME_COUNT = 1000
MEMORY_COUNTS = (100, 1000, 3000)
TARGET_SECONDS = 10
# Flat means the peak grows by less than this per label (a label's share of the finished PDF is ~100-300 bytes).
FLAT_BYTES_PER_LABEL = 100

_CHILD = r"""
import json, resource, sys, tempfile, tracemalloc
sys.path.insert(0, sys.argv[1])
from traceability.labels import LabelContent, Line, render_labels, write_labels
from traceability.labels.render import register_fonts

given = json.loads(sys.argv[2])
content = LabelContent(
    qr_content=given["qr_content"],
    lines=tuple(Line(text, style) for text, style in given["lines"]),
    bag_line=given["bag_line"],
    title=given["title"],
)
register_fonts()
render_labels(content, given["format"], 2)  # fonts and caches loaded before measuring, as in a warm worker
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with tempfile.TemporaryFile() as out:
    tracemalloc.start()
    write_labels(content, given["format"], given["count"], out)  # to a file, as the job does
    size = out.tell()
_current, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"peak_bytes": peak, "rss_growth_kb": after - before, "pdf_bytes": size}))
"""


def _seed(app) -> tuple[int, dict]:
    """A harvested lot of a household, its user; the lot's label content (as the job draws it)."""
    from core.accounts.models import OrganizationKind
    from core.extensions import db
    from tests.builders import make_org
    from tests.traceability_builders import make_harvest, make_plot, point, quick_user
    from traceability.services.labels import label_content

    with app.app_context():
        user = quick_user("Nguyễn Thị Hoa")
        org = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Nguyễn Thị Hoa", owner=user, commune_code="25270")
        plot = make_plot(org, name="Vườn điều Lộc Ninh", crops=["cashew"], commune_code="25270", geometry=point())
        batch = make_harvest(user, [plot], quantity="240000")
        content = label_content(batch, Decimal("80"))
        seeded = (
            batch.id,
            {
                "qr_content": content.qr_content,
                "lines": [(line.text, line.style) for line in content.lines],
                "bag_line": content.bag_line,
                "title": content.title,
            },
        )
        db.session.remove()
    return seeded


def _render_job(app, batch_id: int, fmt: str, count: int) -> float:
    """Seconds for ``render_label_job`` of a new job of ``count`` labels; checks the PDF landed in storage."""
    from core.extensions import db
    from core.storage import get_storage
    from traceability.models import Batch, LabelFormat, LabelJob, LabelJobStatus
    from traceability.services.labels import render_label_job

    with app.app_context():
        batch = db.session.get(Batch, batch_id)
        job = LabelJob(
            public_id=f"bench-{time.perf_counter_ns()}",
            batch_id=batch.id,
            organization_id=batch.custodian_id,
            requested_by_id=batch.created_by_id,
            label_format=LabelFormat(fmt),
            label_count=count,
            net_weight_kg=Decimal("80"),
        )
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        started = time.perf_counter()
        render_label_job(job_id)
        seconds = time.perf_counter() - started
        job = db.session.get(LabelJob, job_id, populate_existing=True)
        assert job.status is LabelJobStatus.DONE, job.error
        assert get_storage().get(job.file_key).startswith(b"%PDF")
        get_storage().delete(job.file_key)
        db.session.remove()
    return seconds


def _memory(content: dict, fmt: str, count: int) -> dict:
    given = json.dumps({**content, "format": fmt, "count": count})
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), given], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _slope(points: list[tuple[int, float]]) -> float:
    """Least-squares growth of y per unit of x."""
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x, _ in points)


def _measure(database_url: str, options: Options) -> dict:
    count = 100 if options.quick else TIME_COUNT
    counts = (50, 100, 300) if options.quick else MEMORY_COUNTS
    repeat = 1 if options.quick else max(3, options.repeat // 5)
    result = {"time": {}, "memory": {}}
    with bench_app(database_url) as app:
        batch_id, content = _seed(app)
        for fmt in ("a4", "thermal"):
            _render_job(app, batch_id, fmt, count)  # warm-up: fonts registered, statements cached
            seconds = sorted(_render_job(app, batch_id, fmt, count) for _ in range(repeat))
            result["time"][fmt] = {
                "labels": count,
                "repeat": repeat,
                "median_ms": round(statistics.median(seconds) * 1000, 1),
                "min_ms": round(seconds[0] * 1000, 1),
                "max_ms": round(seconds[-1] * 1000, 1),
            }
    for fmt in ("a4", "thermal"):
        points = {n: _memory(content, fmt, n) for n in counts}
        slope_peak = _slope([(n, m["peak_bytes"]) for n, m in points.items()])
        slope_pdf = _slope([(n, m["pdf_bytes"]) for n, m in points.items()])
        result["memory"][fmt] = {
            "by_count": {
                str(n): {
                    "tracemalloc_peak_mb": round(m["peak_bytes"] / 2**20, 2),
                    "rss_growth_mb": round(m["rss_growth_kb"] / 1024, 2),
                    "pdf_mb": round(m["pdf_bytes"] / 2**20, 3),
                }
                for n, m in points.items()
            },
            "peak_slope_bytes_per_label": round(slope_peak, 1),
            "pdf_slope_bytes_per_label": round(slope_pdf, 1),
        }
    return result


def run(options: Options) -> dict:
    from benchmarks.__main__ import Skipped

    chosen = dict(backends(options))
    if "postgresql" not in chosen:
        raise Skipped("PostgreSQL is needed (the job is timed on the production database)")
    with chosen["postgresql"]() as url:
        measured = _measure(url, options)
    worst_seconds = max(t["median_ms"] for t in measured["time"].values()) / 1000
    worst_slope = max(m["peak_slope_bytes_per_label"] for m in measured["memory"].values())
    targets = {
        "seconds_for_1000_labels": {
            "target": f"< {TARGET_SECONDS}",
            "measured": round(worst_seconds, 2),
            "met": worst_seconds < TARGET_SECONDS,
        },
        "peak_memory_slope_bytes_per_label": {
            "target": f"flat (< {FLAT_BYTES_PER_LABEL} bytes a label)",
            "measured": worst_slope,
            "met": worst_slope < FLAT_BYTES_PER_LABEL,
        },
    }
    summary = [
        f"{fmt}: {t['labels']} labels in {t['median_ms'] / 1000:.2f} s (median of {t['repeat']})"
        for fmt, t in measured["time"].items()
    ]
    for fmt, m in measured["memory"].items():
        peaks = ", ".join(f"{n}: {v['tracemalloc_peak_mb']} MB" for n, v in m["by_count"].items())
        summary.append(f"{fmt} peak memory by labels {peaks}; slope {m['peak_slope_bytes_per_label']} B/label")
    summary += target_lines(targets)
    return {
        "before": before_fix(NAME),
        "what": (
            "render_label_job (lot read, layout, PDF, file storage) for 1,000 labels on PostgreSQL; peak memory of the "
            "drawing for 100/1,000/3,000 labels, each in a fresh process"
        ),
        **measured,
        "targets": targets,
        "summary": summary,
    }
