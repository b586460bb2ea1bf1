"""Open-data CSV of the whole province: peak memory of the serving process while the download streams, N vs 10 x N.

The data: rows of the harvest rollup (``report_harvest_rollup``, what the
open-data query reads), written with bulk Core inserts: four product forms in
the 40 communes of the former Bình Phước, month after month, three producers a
cell (so no cell is suppressed). N is 5,000 cells (15,000 rollup rows, 15,000
CSV records); 10 x N is 50,000 cells.

The measurement: a fresh Python process holds the app (the serving process)
and downloads ``GET /api/v1/open-data/supply.csv`` through the Flask test client
without buffering, reading the body chunk by chunk as a slow client would. It
reports the tracemalloc peak during the download, the growth of its resident
memory and the bytes and lines received. Flat means the peak at 10 x N is not
more than that at N plus a small allowance, not ten times as much.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

from benchmarks.harness import ROOT, Options, bench_app, on_each_backend, target_lines

NAME = "open_data_csv"
CELLS = 5_000
PRODUCERS_PER_CELL = 3
PRODUCTS = (
    ("cashew", "raw_cashew_nuts"),
    ("pepper", "fresh_pepper"),
    ("rubber", "field_latex"),
    ("rubber", "cup_lump"),
)
# Flat: the peak at 10 x N may exceed the peak at N by at most this factor.
FLAT_RATIO = 1.5

_CHILD = r"""
import json, resource, sys, tempfile, time, tracemalloc
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from nongsan_app import create_app
from tests.conftest import test_overrides

with tempfile.TemporaryDirectory() as instance:
    app = create_app(test_overrides(sys.argv[2], Path(instance)), environ={})
    client = app.test_client()
    client.get("/api/v1/open-data/supply", query_string={"page_size": 1})  # a warm worker: imports and pool done
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/api/v1/open-data/supply.csv", buffered=False)
    received = lines = 0
    for chunk in response.response:
        received += len(chunk)
        lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
    response.close()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"status": response.status_code, "peak_bytes": peak, "rss_growth_kb": after - before,
                  "bytes": received, "lines": lines, "seconds": seconds}))
"""


def _communes() -> list[str]:
    from core.geo.units import registry

    codes = sorted(code for code, unit in registry().commune_by_code.items() if unit.province_code == "75")
    return codes[:40]


def _cells(first: int, count: int, communes: list[str]):
    """Cells ``first`` to ``first + count``: product forms within communes within months from January 2000."""
    per_month = len(communes) * len(PRODUCTS)
    for number in range(first, first + count):
        month, rest = divmod(number, per_month)
        commune, product = divmod(rest, len(PRODUCTS))
        yield 200001 + (month // 12) * 100 + month % 12, communes[commune], PRODUCTS[product]


def _insert(app, first: int, count: int, communes: list[str]) -> None:
    from sqlalchemy import insert

    from core.extensions import db
    from reports.models import HarvestRollup

    with app.app_context():
        batch = []
        for ym, commune, (commodity, product) in _cells(first, count, communes):
            for producer in range(PRODUCERS_PER_CELL):
                batch.append(
                    {
                        "commodity": commodity,
                        "product": product,
                        "commune_code": commune,
                        "producer_id": 1000 + producer,
                        "certification": "",
                        "ym": ym,
                        "quantity_kg": Decimal("1250.5"),
                        "lots": 2,
                    }
                )
            if len(batch) >= 10_000:
                db.session.execute(insert(HarvestRollup), batch)
                batch = []
        if batch:
            db.session.execute(insert(HarvestRollup), batch)
        db.session.commit()
        db.session.remove()


def _download(database_url: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), database_url], capture_output=True, text=True, check=True, cwd=ROOT
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["status"] == 200, found
    return found


def _measure(backend: str, database_url: str, options: Options) -> dict:
    cells = 500 if options.quick else CELLS
    points = {}
    with bench_app(database_url) as app:
        communes = _communes()
        _insert(app, 0, cells, communes)
        points["N"] = (cells, _download(database_url))
        _insert(app, cells, 9 * cells, communes)
        points["10N"] = (10 * cells, _download(database_url))
    by_size = {
        label: {
            "cells": n,
            "rollup_rows": n * PRODUCERS_PER_CELL,
            "csv_records": found["lines"] - 1,
            "csv_mb": round(found["bytes"] / 2**20, 2),
            "seconds": round(found["seconds"], 2),
            "tracemalloc_peak_mb": round(found["peak_bytes"] / 2**20, 2),
            "rss_growth_mb": round(found["rss_growth_kb"] / 1024, 2),
        }
        for label, (n, found) in points.items()
    }
    ratio = by_size["10N"]["tracemalloc_peak_mb"] / max(by_size["N"]["tracemalloc_peak_mb"], 0.01)
    return {"backend": backend, "by_size": by_size, "peak_ratio_10n_to_n": round(ratio, 2)}


def run(options: Options) -> dict:
    measured = on_each_backend(options, _measure, "the server-side cursor is measured where production runs")
    pg = measured["postgresql"]
    targets = {
        "peak_memory_flat_in_rows": {
            "target": f"peak at 10 x N <= {FLAT_RATIO} x peak at N",
            "measured": pg["peak_ratio_10n_to_n"],
            "met": pg["peak_ratio_10n_to_n"] <= FLAT_RATIO,
        }
    }
    summary = []
    for name, m in measured.items():
        sizes = "; ".join(
            f"{label} {s['csv_records']} records ({s['csv_mb']} MB) peak {s['tracemalloc_peak_mb']} MB, "
            f"RSS +{s['rss_growth_mb']} MB, {s['seconds']} s"
            for label, s in m["by_size"].items()
        )
        summary.append(f"{name}: {sizes}; ratio {m['peak_ratio_10n_to_n']}")
    summary += target_lines(targets)
    return {
        "what": (
            "GET /api/v1/open-data/supply.csv streamed through the Flask test client in a fresh serving process; "
            "tracemalloc peak and RSS growth for N and 10 x N rollup cells"
        ),
        "backends": measured,
        "targets": targets,
        "summary": summary,
    }
