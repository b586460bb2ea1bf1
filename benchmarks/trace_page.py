"""The public trace page of a deep lot under gunicorn and 32 concurrent clients, against a trivial view's ceiling.

Setup (PostgreSQL, Redis): a private database with the demo season (``seed-demo``: listings to search) and a kernel
lot packed from 200 earlier lots with about 2,000 events (``tests.trace_page_builders.build_deep_lot``), and one full
ledger audit. Then two gunicorns on loopback, both with ``gunicorn.conf.py`` and 2 sync workers:

- the app itself in production mode (Redis as the broker, the old-address matcher loaded by the master);
- ``benchmarks.baseline_app``, a trivial Flask view sending the very bytes of the trace page.

``wrk`` (2 threads, 32 connections) measures each path for ``WRK_SECONDS``, ``options.repeat`` rounds (at most 5),
each round taking every path in turn so that a drift of the machine touches all alike; the figures are medians over
the rounds. Ratios divide a path's requests/s by the baseline's of the same round. The view counts of the full pages
are real (a phone's User-Agent), so their cost is in the figures.

SQL statements per cold page are counted in-process for the deep lot and for a lot with no ancestors: the same
number whatever the lineage.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.harness import ROOT, bench_app, postgres_database, postgres_problem

NAME = "trace_page"
WRK_SECONDS = 8
CONNECTIONS = 32
PHONE = "Mozilla/5.0 (Linux; Android 11; SM-A105F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/13"
TARGETS = {"full": 0.5, "conditional": 0.8, "search": 0.3}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prepare(database_url: str) -> dict:
    """The data, in the database the gunicorn will serve: the deep lot, and the SQL statements of cold pages."""
    from sqlalchemy import select

    from core.extensions import db
    from tests.trace_page_builders import build_deep_lot, counted
    from traceability.models import Batch, BatchLink
    from traceability.services import integrity
    from traceability.services.trace_page import pages_of

    with bench_app(database_url) as app:
        started = time.perf_counter()
        seeded = app.test_cli_runner().invoke(args=["seed-demo"])
        if seeded.exit_code != 0:
            raise RuntimeError(f"seed-demo failed: {seeded.output}")
        with app.app_context():
            lot = build_deep_lot()
            integrity.audit_ledger()
            parents = select(BatchLink.child_id)
            harvest = db.session.scalar(select(Batch.code).where(Batch.id.not_in(parents)).limit(1))
            db.session.remove()
        setup_seconds = round(time.perf_counter() - started, 1)

        client = app.test_client()

        def cold(code: str):
            pages_of(app).clear()
            response = client.get(f"/t/{code}", headers={"Accept-Language": "vi", "User-Agent": "benchmark-bot"})
            response.close()
            return response

        queries = {}
        for name, code in (("deep_lot", lot.code), ("harvest_lot", harvest)):
            response, statements = counted(app, lambda code=code: cold(code))
            assert response.status_code == 200, response.status
            queries[name] = len(statements)
    return {
        "code": lot.code,
        "ancestors": lot.ancestors,
        "events": lot.events,
        "setup_seconds": setup_seconds,
        "queries": queries,
    }


def production_environ(database_url: str, folder: Path) -> dict[str, str]:
    """The settings of the app under gunicorn in production mode, its files and instance in ``folder``."""
    return {
        "NONGSAN_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "PUBLIC_BASE_URL": "http://localhost",
        "CELERY_BROKER_URL": REDIS_URL,
        "STORAGE_BACKEND": "local",
        "STORAGE_LOCAL_PATH": str(folder / "files"),
        "INSTANCE_PATH": str(folder / "instance"),
        "LOG_LEVEL": "warning",
    }


class Server:
    """A gunicorn on a free loopback port, stopped with the context."""

    def __init__(self, target: str, environ: dict, log: Path) -> None:
        self.port = _free_port()
        self.target, self.log = target, log
        self.environ = {**os.environ, **environ, "PORT": str(self.port), "WEB_CONCURRENCY": "2"}
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.process = subprocess.Popen(
            [gunicorn, "-c", str(ROOT / "gunicorn.conf.py"), self.target],
            cwd=ROOT,
            env=self.environ,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.target} stopped: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return self
            except OSError as error:
                if getattr(error, "code", None) == 404:  # the baseline has no /healthz: it is up
                    return self
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn {self.target} did not start in 120 s")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def wrk(url: str, headers: dict[str, str], seconds: int = WRK_SECONDS) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(ROOT / "benchmarks/wrk/report.lua")]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK "))
    figures = json.loads(line[4:])
    seconds_run = figures["duration_us"] / 1e6
    return {
        "requests_per_s": round(figures["requests"] / seconds_run, 1),
        "p50_ms": round(figures["p50_us"] / 1000, 2),
        "p95_ms": round(figures["p95_us"] / 1000, 2),
        "p99_ms": round(figures["p99_us"] / 1000, 2),
        "errors": figures["socket_errors"] + figures["bad_status"],
    }


def _fetch(url: str, headers: dict[str, str]) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _median(rounds: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in rounds), 3)


def run(options) -> dict:
    from benchmarks.__main__ import Skipped

    problem = postgres_problem()
    if problem:
        raise Skipped(problem)
    if shutil.which("wrk") is None:
        raise Skipped("wrk is not installed (apt-get install wrk)")
    rounds = 1 if options.quick else max(1, min(options.repeat, 5))
    seconds = 2 if options.quick else WRK_SECONDS
    with postgres_database() as database_url, tempfile.TemporaryDirectory(prefix="nongsan-bench-gunicorn-") as folder:
        folder = Path(folder)
        print("  seeding the demo season and a lot of 200 lots and 2,000 events ...", flush=True)
        prepared = _prepare(database_url)
        app_environ = production_environ(database_url, folder)
        baseline_environ = {"BASELINE_BODY": str(folder / "page.html"), "GEO_WARM_UP": "0", "LOG_LEVEL": "warning"}
        with Server("wsgi:app", app_environ, folder / "app.log") as server:
            page = f"/t/{prepared['code']}"
            browser = {"Accept-Language": "vi", "User-Agent": PHONE}
            status, headers, body = _fetch(server.url(page), browser)
            assert status == 200 and prepared["code"].encode() in body, f"the trace page answered {status}"
            (folder / "page.html").write_bytes(body)  # the baseline sends exactly these bytes
            conditional = {**browser, "If-None-Match": headers["ETag"]}
            assert _fetch(server.url(page), conditional)[0] == 304
            with Server("benchmarks.baseline_app:app", baseline_environ, folder / "baseline.log") as baseline:
                measured = _measure(server, baseline, page, browser, conditional, rounds, seconds)
    return _report(prepared, measured, len(body), rounds, seconds)


def _measure(server, baseline, page, browser, conditional, rounds, seconds) -> dict[str, list[dict]]:
    search = "/market?commodity=cashew"
    status, _headers, search_body = _fetch(server.url(search), browser)
    assert status == 200 and b"/market/listings/" in search_body, "the search found no listings"
    paths = {
        "baseline": (baseline.url("/"), browser),
        "full": (server.url(page), browser),
        "conditional": (server.url(page), conditional),
        "search": (server.url(search), browser),
        "healthz": (server.url("/healthz"), {"User-Agent": PHONE}),
    }
    for url, headers in paths.values():  # warm every worker's caches and connections
        wrk(url, headers, seconds=1)
    measured: dict[str, list[dict]] = {name: [] for name in paths}
    for number in range(rounds):
        print(f"  round {number + 1} of {rounds} ...", flush=True)
        for name, (url, headers) in paths.items():
            measured[name].append(wrk(url, headers, seconds=seconds))
    return measured


def _report(prepared: dict, measured: dict[str, list[dict]], page_bytes: int, rounds: int, seconds: int) -> dict:
    figures = {}
    for name, results in measured.items():
        figures[name] = {
            "requests_per_s": _median(results, "requests_per_s"),
            "p95_ms": _median(results, "p95_ms"),
            "p99_ms": _median(results, "p99_ms"),
            "errors": sum(r["errors"] for r in results),
            "rounds": results,
        }
    for name in ("full", "conditional", "search", "healthz"):
        ratios = [
            path["requests_per_s"] / base["requests_per_s"]
            for path, base in zip(measured[name], measured["baseline"], strict=True)
        ]
        figures[name]["ratio_to_baseline"] = round(statistics.median(ratios), 3)
    queries = prepared["queries"]
    targets = {
        f"{name}_ratio": {
            "target": f">= {target}",
            "measured": figures[name]["ratio_to_baseline"],
            "met": figures[name]["ratio_to_baseline"] >= target,
        }
        for name, target in TARGETS.items()
    }
    targets["queries_constant"] = {
        "target": "the same statements for a 200-ancestor lot as for a lot with none",
        "measured": f"{queries['deep_lot']} and {queries['harvest_lot']}",
        "met": queries["deep_lot"] == queries["harvest_lot"],
    }
    targets["no_errors"] = {
        "target": "0 errors",
        "measured": sum(figures[n]["errors"] for n in figures),
        "met": all(figures[n]["errors"] == 0 for n in figures),
    }
    return {
        "setup": {
            "database": "postgresql",
            "server": "gunicorn, gunicorn.conf.py, 2 sync workers, NONGSAN_ENV=production",
            "load": f"wrk -t2 -c{CONNECTIONS}, {seconds} s per path and round, {rounds} rounds, medians",
            "lot": {k: prepared[k] for k in ("code", "ancestors", "events")},
            "page_bytes": page_bytes,
            "setup_seconds": prepared["setup_seconds"],
        },
        "paths": figures,
        "queries_per_cold_page": queries,
        "targets": targets,
        "before": {
            "source": "benchmarks/results/2026-11-27-trace-page.json (in-process) and the figures measured under "
            "gunicorn in issue #13, before the trace page was cached by version and the ledger audited",
            "trace_page_cold_median_ms": 373.28,
            "trace_page_304_median_ms": 15.05,
            "full_requests_per_s": 3,
            "full_ratio": "about 1/700",
            "conditional_ratio": 0.03,
            "search_ratio": 0.03,
            "healthz_ratio": 0.12,
        },
        "summary": [
            f"baseline {figures['baseline']['requests_per_s']} req/s; "
            + "; ".join(
                f"{name} {figures[name]['requests_per_s']} req/s = {figures[name]['ratio_to_baseline']}x "
                f"(p95 {figures[name]['p95_ms']} ms)"
                for name in ("full", "conditional", "search", "healthz")
            ),
            f"SQL per cold page: {queries['deep_lot']} (200 ancestors), {queries['harvest_lot']} (none)",
            "targets: " + ", ".join(f"{name} {'met' if t['met'] else 'MISSED'}" for name, t in targets.items()),
        ],
    }
