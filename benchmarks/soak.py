"""A bounded soak: trace pages, browsing and checkout together against one gunicorn for a few minutes.

Setup as ``trace_page`` (PostgreSQL, Redis, the demo season and a deep lot, one ledger audit), plus buyers with API
tokens and listings of their own (``checkout._seed``). The app runs under gunicorn in production mode with
``gunicorn.conf.py``, 2 sync workers, and worker recycling turned off for the run (``--max-requests 0``): a
recycled worker would hide a leak.

Two loads at once for ``SOAK_SECONDS``:

- ``wrk`` (2 threads, 16 connections, ``wrk/mix.lua``) cycling through the deep lot's trace page (full and
  conditional), its lineage listing, two marketplace searches and ``/healthz``, each request from its own address;
- ``CHECKOUT_THREADS`` buyers in a loop, each from their own address and at most every ``BUYER_ROUND_SECONDS``:
  check out 1 kg by VietQR (``POST /api/v1/orders``), then cancel the order
  (``POST /api/v1/orders/<id>/transitions``), which releases its reservation, so the stock lasts the whole run.

Errors are wrk's socket errors and non-2xx/3xx answers, and any checkout answer other than 201 or 409 (sold out:
another buyer's reservation held the last kilo) and any cancel other than 200. Memory is each worker's proportional
set size (PSS, ``/proc/<pid>/smaps_rollup``: shared pages counted once between the workers), sampled every
``SAMPLE_SECONDS``; growth is from the first sample after ``WARM_SECONDS`` (caches filled, statement caches warm) to
the last. Targets: no errors, and no worker growing by more than ``GROWTH_MB``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from benchmarks.harness import ROOT, Options, bench_app, postgres_database, postgres_problem, target_lines

NAME = "soak"
SOAK_SECONDS = 180
WARM_SECONDS = 30
SAMPLE_SECONDS = 10
CONNECTIONS = 16
CHECKOUT_THREADS = 8
# A buyer checks out and cancels at most this often, each from their own address: as brisk as a person gets, and
# under the per-address request limit (600 a minute), which a loop at full speed from one address would meet.
BUYER_ROUND_SECONDS = 0.5
GROWTH_MB = 5.0


def _pss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return round(int(line.split()[1]) / 1024, 2)
    except OSError:
        return None
    return None


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return sorted(int(pid) for pid in children.read_text().split()) if children.exists() else []


def _call(url: str, body: dict, token: str, address: str) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}", "X-Forwarded-For": address}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


def _buyer(server, job: dict, address: str, stop: threading.Event, outcomes: Counter, lock: threading.Lock) -> None:
    body = {
        "items": [{"listing_id": job["listing_id"], "quantity": "1"}],
        "payment_method": "vietqr",
        "delivery": {"method": "pickup"},
    }
    while not stop.is_set():
        started = time.monotonic()
        try:
            status, answer = _call(server.url("/api/v1/orders"), body, job["token"], address)
            outcome = [f"checkout {status}"]
            if status == 201:
                order = answer["orders"][0]["id"]
                transition = server.url(f"/api/v1/orders/{order}/transitions")
                cancelled, _ = _call(transition, {"to": "cancelled"}, job["token"], address)
                outcome.append(f"cancel {cancelled}")
        except OSError as error:
            outcome = [f"checkout {error.__class__.__name__}"]
        with lock:
            outcomes.update(outcome)
        stop.wait(max(0.0, BUYER_ROUND_SECONDS - (time.monotonic() - started)))


def run(options: Options) -> dict:
    from benchmarks import checkout
    from benchmarks.__main__ import Skipped
    from benchmarks.trace_page import PHONE, Server, _fetch, _prepare, production_environ

    problem = postgres_problem()
    if problem:
        raise Skipped(problem)
    if shutil.which("wrk") is None:
        raise Skipped("wrk is not installed (apt-get install wrk)")
    seconds = 20 if options.quick else SOAK_SECONDS
    warm = 5 if options.quick else WARM_SECONDS
    with postgres_database() as database_url, tempfile.TemporaryDirectory(prefix="nongsan-bench-soak-") as folder:
        folder = Path(folder)
        print("  seeding the demo season, a deep lot, buyers and listings ...", flush=True)
        prepared = _prepare(database_url)
        with bench_app(database_url) as app:
            jobs = checkout._seed(app, CHECKOUT_THREADS, CHECKOUT_THREADS, 2)
        # No recycling: a leak must show.
        environ = {**production_environ(database_url, folder), "GUNICORN_CMD_ARGS": "--max-requests 0"}
        with Server("wsgi:app", environ, folder / "app.log") as server:
            page = f"/t/{prepared['code']}"
            browser = {"Accept-Language": "vi", "User-Agent": PHONE}
            status, headers, _body = _fetch(server.url(page), browser)
            assert status == 200, f"the trace page answered {status}"
            paths = [
                page,
                f"304:{page}",
                f"{page}/lineage",
                "/market?commodity=cashew",
                "/market?commodity=pepper",
                "/healthz",
            ]
            command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(ROOT / "benchmarks/wrk/mix.lua")]
            for name, value in browser.items():
                command += ["-H", f"{name}: {value}"]
            wrk_env = {"MIX_PATHS": "|".join(paths), "MIX_ETAG": headers["ETag"]}
            load = subprocess.Popen(
                [*command, server.url("/")],
                stdout=subprocess.PIPE,
                text=True,
                env={**os.environ, **wrk_env},
            )
            stop, lock, outcomes = threading.Event(), threading.Lock(), Counter()
            buyers = [
                threading.Thread(
                    target=_buyer, args=(server, job, f"10.200.0.{n + 1}", stop, outcomes, lock), daemon=True
                )
                for n, job in enumerate(jobs)
            ]
            for buyer in buyers:
                buyer.start()
            started = time.monotonic()
            samples = []
            while load.poll() is None:
                elapsed = round(time.monotonic() - started, 1)
                samples.append({"at_s": elapsed, **{str(pid): _pss_mb(pid) for pid in _workers(server.process.pid)}})
                time.sleep(SAMPLE_SECONDS if not options.quick else 2)
            stop.set()
            for buyer in buyers:
                buyer.join(timeout=60)
            samples.append(
                {
                    "at_s": round(time.monotonic() - started, 1),
                    **{str(pid): _pss_mb(pid) for pid in _workers(server.process.pid)},
                }
            )
            output = load.stdout.read()
    line = next(line for line in output.splitlines() if line.startswith("WRK "))
    browsing = json.loads(line[4:])
    return _report(prepared, browsing, outcomes, samples, seconds, warm)


def _report(prepared: dict, browsing: dict, outcomes: Counter, samples: list[dict], seconds: int, warm: int) -> dict:
    after_warm = next((s for s in samples if s["at_s"] >= warm), samples[0])
    last = samples[-1]
    workers = [key for key in after_warm if key != "at_s"]
    growth = {
        pid: round(last[pid] - after_warm[pid], 2)
        for pid in workers
        if pid in last and last[pid] is not None and after_warm[pid] is not None
    }
    lost_workers = [pid for pid in workers if pid not in last]  # a worker that died (and was replaced) is a failure
    checkout_errors = sum(
        count for outcome, count in outcomes.items() if outcome not in {"checkout 201", "checkout 409", "cancel 200"}
    )
    browse_errors = browsing["socket_errors"] + browsing["bad_status"]
    placed = outcomes.get("checkout 201", 0)
    targets = {
        "errors": {
            "target": 0,
            "measured": browse_errors + checkout_errors,
            "met": browse_errors + checkout_errors == 0,
        },
        "worker_growth_mb": {
            "target": f"<= {GROWTH_MB} per worker",
            "measured": max(growth.values(), default=None),
            "met": bool(growth) and max(growth.values()) <= GROWTH_MB and not lost_workers,
        },
    }
    seconds_run = browsing["duration_us"] / 1e6
    return {
        "what": (
            f"{seconds} s of wrk -t2 -c{CONNECTIONS} over trace pages (full, 304, lineage), marketplace searches and "
            f"/healthz, with {CHECKOUT_THREADS} buyers checking out and cancelling in a loop; gunicorn, 2 sync "
            "workers, production mode, no recycling"
        ),
        "deep_lot": {"ancestors": prepared["ancestors"], "events": prepared["events"]},
        "browsing": {
            "requests": browsing["requests"],
            "requests_per_s": round(browsing["requests"] / seconds_run, 1),
            "p50_ms": round(browsing["p50_us"] / 1000, 2),
            "p95_ms": round(browsing["p95_us"] / 1000, 2),
            "p99_ms": round(browsing["p99_us"] / 1000, 2),
            "errors": browse_errors,
        },
        "checkout": {
            "outcomes": dict(outcomes),
            "orders_placed_and_cancelled": placed,
            "orders_per_s": round(placed / seconds, 1),
            "errors": checkout_errors,
        },
        "worker_pss_mb": {"samples": samples, "from_s": after_warm["at_s"], "growth": growth, "lost": lost_workers},
        "targets": targets,
        "summary": [
            f"browsing: {browsing['requests']} requests, {round(browsing['requests'] / seconds_run, 1)}/s, "
            f"p95 {round(browsing['p95_us'] / 1000, 2)} ms, {browse_errors} errors",
            f"checkout: {placed} orders placed and cancelled ({dict(outcomes)}), {checkout_errors} errors",
            f"worker PSS growth from {after_warm['at_s']} s to {last['at_s']} s: {growth} MB",
            *target_lines(targets),
        ],
    }
