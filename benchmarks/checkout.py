"""Checkout under contention: 200 buyers on 20 listings at once, demand above supply, through the orders API.

The buyers' requests go to worker processes that each hold their own app and
database connection, as gunicorn's sync workers do in production (2 x cores + 1
of them, ``gunicorn.conf.py``); every request is ``POST /api/v1/orders`` with the
buyer's API token, paid by VietQR bank transfer (no Stripe involved). All
requests are queued before the workers are let go, so every worker starts at
once and the same listings are fought over until they run out.

After the run the database is read back: for each listing, the grams its orders
hold (every order placed is pending payment, its stock reserved) against what
it offered, and the listing's counters against the orders. Oversold units are
the grams ordered beyond a listing's stock, summed: the target is none.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import time
from collections import Counter

from benchmarks.harness import Options, before_fix, bench_app, on_each_backend, target_lines

NAME = "checkout"
BUYERS, LISTINGS, SELLERS = 200, 20, 5
QUANTITIES_KG = (5, 10, 15, 20)  # what one buyer asks of one listing
SUPPLY_SHARE = 0.75  # each listing offers three quarters of what its buyers ask together
TARGET_ORDERS_PER_S = 100
VIETCOMBANK = "970436"
# The order e-mails go to a Celery broker, as in production (a worker sends them), not run inside the request.
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/13")


def _workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) * 2 + 1)


def _seed(app, buyers: int, listings: int, sellers: int) -> list[dict]:
    """Sellers with one lot per listing and a bank account, published listings, buyers with tokens; the requests."""
    from core.accounts.models import OrganizationKind, User
    from tests.builders import bearer, make_org, make_token
    from tests.traceability_builders import make_harvest, make_plot, point, quick_user, seeded
    from traceability.models import Plot

    rng = random.Random(13)
    asks = [(index % listings, rng.choice(QUANTITIES_KG)) for index in range(buyers)]
    demand = Counter()
    for listing_index, kg in asks:
        demand[listing_index] += kg

    def make_sellers():
        made = []
        for number in range(sellers):
            user = quick_user(f"Người bán {number}")
            org = make_org(OrganizationKind.HOUSEHOLD, name=f"Hộ bán {number}", owner=user, commune_code="25270")
            plot = make_plot(org, name=f"Vườn {number}", crops=["cashew"], commune_code="25270", geometry=point())
            made.append({"user": user.id, "org": org.id, "plot": plot.id, "auth": bearer(make_token(user))})
        return made

    def make_lot(seller: dict) -> str:
        from core.extensions import db

        return make_harvest(
            db.session.get(User, seller["user"]), [db.session.get(Plot, seller["plot"])], quantity="2000"
        ).code

    def make_buyers():
        made = []
        for number, (listing_index, kg) in enumerate(asks):
            user = quick_user(f"Người mua {number}")
            make_org(OrganizationKind.BUYER, name=f"Cửa hàng {number}", owner=user, commune_code=None)
            made.append({"token": make_token(user), "listing": listing_index, "quantity": str(kg)})
        return made

    client = app.test_client()
    seller_list = seeded(app, make_sellers)
    account = {"bank_bin": VIETCOMBANK, "account_number": "0071000123456", "account_name": "Nguyễn Văn Đức"}
    for seller in seller_list:
        answer = client.put(f"/api/v1/organizations/{seller['org']}/bank-account", json=account, headers=seller["auth"])
        assert answer.status_code == 200, answer.json
    listing_ids = []
    for index in range(listings):
        seller = seller_list[index % sellers]
        payload = {
            "batch_code": seeded(app, lambda seller=seller: make_lot(seller)),
            "title": f"Điều thô Lộc Ninh {index + 1}",
            "price_per_kg": 35000,
            "quantity": str(int(demand[index] * SUPPLY_SHARE)),
            "min_order_quantity": "1",
            "payment_methods": ["vietqr"],
        }
        made = client.post("/api/v1/listings", json=payload, headers=seller["auth"])
        assert made.status_code == 201, made.json
        published = client.patch(
            f"/api/v1/listings/{made.json['id']}", json={"status": "active"}, headers=seller["auth"]
        )
        assert published.status_code == 200, published.json
        listing_ids.append(made.json["id"])
    return [
        {"token": buyer["token"], "listing_id": listing_ids[buyer["listing"]], "quantity": buyer["quantity"]}
        for buyer in seeded(app, make_buyers)
    ]


def _broker() -> dict:
    """Settings sending tasks to Redis when it answers; else tasks run in the request (and the result says so)."""
    try:
        import redis

        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2).ping()
    except Exception:  # any failure means: no broker here
        return {}
    return {"CELERY_BROKER_URL": BROKER_URL, "CELERY_RESULT_BACKEND": "", "CELERY_TASK_ALWAYS_EAGER": False}


def _purge_broker(settings: dict) -> int:
    """Drop the e-mail tasks the run queued (no worker is meant to send them); how many there were."""
    if not settings:
        return 0
    import redis

    broker = redis.Redis.from_url(BROKER_URL)
    queued = broker.llen("celery")
    broker.delete("celery")
    return queued


def _serve(database_url: str, instance: str, settings: dict, jobs, results, ready, go) -> None:
    """One worker process: its own app and connection pool, taking checkout requests off the queue until empty."""
    import queue
    from pathlib import Path

    from sqlalchemy import event

    from core.extensions import db
    from nongsan_app import create_app
    from tests.conftest import test_overrides

    app = create_app(test_overrides(database_url, Path(instance), **settings), environ={})
    client = app.test_client()
    statements = [0]

    def count(conn, cursor, statement, parameters, context, executemany):
        statements[0] += 1

    with app.app_context():
        db.session.execute(db.text("SELECT 1"))  # connect before the clock starts, as a warm worker would be
        db.session.remove()
        event.listen(db.engine, "before_cursor_execute", count)
    ready.release()
    go.wait()
    outcomes = []
    while True:
        try:
            job = jobs.get_nowait()
        except queue.Empty:
            break
        body = {
            "items": [{"listing_id": job["listing_id"], "quantity": job["quantity"]}],
            "payment_method": "vietqr",
            "delivery": {"method": "pickup"},
        }
        started, cpu, sent = time.perf_counter(), time.process_time(), statements[0]
        answer = client.post("/api/v1/orders", json=body, headers={"Authorization": f"Bearer {job['token']}"})
        elapsed = (time.perf_counter() - started) * 1000
        code = "placed" if answer.status_code == 201 else f"{answer.status_code} {answer.json.get('code')}"
        outcomes.append((code, elapsed, (time.process_time() - cpu) * 1000, statements[0] - sent))
    results.put((outcomes, time.monotonic()))
    with app.app_context():
        db.engine.dispose()


def _contend(database_url: str, instance: str, settings: dict, requests: list[dict], workers: int) -> dict:
    context = multiprocessing.get_context("spawn")
    jobs, results = context.Queue(), context.Queue()
    for request in requests:
        jobs.put(request)
    ready, go = context.Semaphore(0), context.Event()
    processes = [
        context.Process(target=_serve, args=(database_url, instance, settings, jobs, results, ready, go))
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.acquire(timeout=120)
    time.sleep(0.2)  # let the queue's feeder thread finish handing the requests over
    started = time.monotonic()
    go.set()
    gathered = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    finished = max(done for _outcomes, done in gathered)
    outcomes = [outcome for worker_outcomes, _done in gathered for outcome in worker_outcomes]
    return {"seconds": finished - started, "outcomes": outcomes}


def _audit(app) -> dict:
    """Read back what was ordered against what was offered, listing by listing."""
    from sqlalchemy import func, select

    from core.extensions import db
    from market.models import Listing, OrderLine, Reservation, ReservationStatus

    with app.app_context():
        ordered = dict(
            db.session.execute(  # (listing id, grams) pairs
                select(OrderLine.listing_id, func.sum(OrderLine.quantity_g)).group_by(OrderLine.listing_id)
            ).all()
        )
        reserved = dict(
            db.session.execute(
                select(Reservation.listing_id, func.sum(Reservation.quantity_g))
                .where(Reservation.status == ReservationStatus.ACTIVE)
                .group_by(Reservation.listing_id)
            ).all()
        )
        listings = db.session.scalars(select(Listing)).all()
        oversold = sum(max(0, int(ordered.get(x.id, 0)) - x.quantity_g) for x in listings)
        counter_mismatch = sum(
            1
            for x in listings
            if x.reserved_g + x.sold_g != int(ordered.get(x.id, 0)) or x.reserved_g != int(reserved.get(x.id, 0))
        )
        offered = sum(x.quantity_g for x in listings)
        sold_out = sum(1 for x in listings if x.status.value == "sold_out")
        db.session.remove()
    return {
        "offered_kg": offered / 1000,
        "ordered_kg": sum(int(v) for v in ordered.values()) / 1000,
        "oversold_units_kg": oversold / 1000,
        "listings_whose_counters_disagree_with_orders": counter_mismatch,
        "listings_sold_out": sold_out,
    }


def _library(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    for package in ("core", "market", "traceability", "reports"):
        if f"/{package}/" in filename:
            return f"nongsan {package}"
    return "python (stdlib, builtins)"


def _profile(app, checkouts: int) -> dict:
    """Where one checkout's CPU goes, in this process (no contention): cProfile on CPU time, by library, over
    ``checkouts`` placed on listings of their own after the run; with the ceiling that CPU sets on 2 x cores."""
    import cProfile
    import pstats

    requests = _seed(app, checkouts + 5, 3, 3)
    client = app.test_client()

    def place(job):
        body = {
            "items": [{"listing_id": job["listing_id"], "quantity": job["quantity"]}],
            "payment_method": "vietqr",
            "delivery": {"method": "pickup"},
        }
        client.post("/api/v1/orders", json=body, headers={"Authorization": f"Bearer {job['token']}"})

    for job in requests[:5]:  # warm the statement caches, as a worker that has served a few is
        place(job)
    profiler = cProfile.Profile(time.process_time)
    started = time.process_time()
    profiler.enable()
    for job in requests[5:]:
        place(job)
    profiler.disable()
    cpu_ms = (time.process_time() - started) * 1000 / checkouts
    spent: Counter = Counter()
    for (filename, _line, _name), (_cc, _nc, own, _cum, _callers) in pstats.Stats(profiler).stats.items():
        spent[_library(filename)] += own
    total = sum(spent.values()) or 1
    cores = os.cpu_count() or 1
    return {
        "checkouts": checkouts,
        "cpu_ms_per_checkout_profiled": round(cpu_ms, 1),
        "share_of_cpu_by_library_pct": {name: round(own / total * 100, 1) for name, own in spent.most_common(10)},
        "note": (
            "the CPU is statement-bound: SQLAlchemy (building, caching and reading each statement) and psycopg make "
            "most of it, so it falls with the round trips; the database server's CPU comes on top, on the same "
            f"{cores} cores"
        ),
    }


def _measure(backend: str, database_url: str, options: Options) -> dict:
    import tempfile

    buyers, listings = (40, 4) if options.quick else (BUYERS, LISTINGS)
    workers = _workers()
    with tempfile.TemporaryDirectory(prefix="nongsan-bench-checkout-") as instance, bench_app(database_url) as app:
        requests = _seed(app, buyers, listings, min(SELLERS, listings))
        settings = _broker()
        _purge_broker(settings)
        run = _contend(database_url, instance, settings, requests, workers)
        queued = _purge_broker(settings)
        audit = _audit(app)
        profile = _profile(app, 10 if options.quick else 40) if backend == "postgresql" else None
        _purge_broker(settings)
    codes = Counter(code for code, *_rest in run["outcomes"])
    latencies = sorted(ms for _code, ms, _cpu, _sql in run["outcomes"])
    placed_costs = [(cpu, sql) for code, _ms, cpu, sql in run["outcomes"] if code == "placed"]
    cpu_ms = sorted(cpu for cpu, _sql in placed_costs)
    sql = sorted(sql for _cpu, sql in placed_costs)
    placed = codes.pop("placed", 0)
    return {
        "backend": backend,
        "buyers": buyers,
        "listings": listings,
        "worker_processes": workers,
        "order_emails": f"{queued} tasks queued on {BROKER_URL}" if settings else "sent inside the request (no broker)",
        "seconds": round(run["seconds"], 3),
        "orders_placed": placed,
        "orders_refused": sum(codes.values()),
        "refusals_by_code": dict(codes),
        "orders_per_s": round(placed / run["seconds"], 1),
        "checkouts_per_s": round(len(latencies) / run["seconds"], 1),
        # What one placed order costs its worker: the app's own CPU (the database's is on top) and its statements.
        "per_placed_order": {
            "worker_cpu_ms_median": round(cpu_ms[len(cpu_ms) // 2], 1) if cpu_ms else None,
            "sql_statements_median": sql[len(sql) // 2] if sql else None,
        },
        "latency_ms": {
            "median": round(latencies[len(latencies) // 2], 1),
            "p95": round(latencies[int(len(latencies) * 0.95) - 1], 1),
            "max": round(latencies[-1], 1),
        },
        **audit,
        **({"profile": profile} if profile else {}),
    }


def run(options: Options) -> dict:
    measured = on_each_backend(options, _measure, "checkout's row locks are measured where production runs")
    pg = measured["postgresql"]
    targets = {
        "orders_per_s": {
            "target": f">= {TARGET_ORDERS_PER_S}",
            "measured": pg["orders_per_s"],
            "met": pg["orders_per_s"] >= TARGET_ORDERS_PER_S,
        },
        "oversold_units": {"target": 0, "measured": pg["oversold_units_kg"], "met": pg["oversold_units_kg"] == 0},
    }
    cpu = pg["per_placed_order"]["worker_cpu_ms_median"]
    if cpu:
        # Orders per second the workers' own CPU allows if it had every core to itself (the database's excluded):
        # an upper bound on what this machine can reach with checkout as it is.
        placed_share = pg["orders_placed"] / (pg["orders_placed"] + pg["orders_refused"])
        pg["ceiling_orders_per_s_from_worker_cpu"] = round((os.cpu_count() or 1) * 1000 / cpu * placed_share, 1)
    summary = [
        f"{name}: {m['orders_placed']} placed / {m['orders_refused']} refused {m['refusals_by_code']} in "
        f"{m['seconds']} s = {m['orders_per_s']} orders/s ({m['checkouts_per_s']} checkouts/s, "
        f"{m['worker_processes']} workers, p95 {m['latency_ms']['p95']} ms, per order "
        f"{m['per_placed_order']['sql_statements_median']} statements and "
        f"{m['per_placed_order']['worker_cpu_ms_median']} ms worker CPU); oversold {m['oversold_units_kg']} kg"
        for name, m in measured.items()
    ]
    if "ceiling_orders_per_s_from_worker_cpu" in pg:
        summary.append(
            f"postgresql: the workers' CPU alone ({cpu} ms per placed order, {os.cpu_count()} cores) caps this "
            f"machine at {pg['ceiling_orders_per_s_from_worker_cpu']} orders/s; profile: "
            + ", ".join(
                f"{name} {pct}%" for name, pct in list(pg["profile"]["share_of_cpu_by_library_pct"].items())[:4]
            )
        )
    summary += target_lines(targets)
    return {
        "before": before_fix(NAME),
        "what": (
            f"{BUYERS} buyers each POST /api/v1/orders (VietQR, pickup) for one of {LISTINGS} listings at once, "
            f"stock {int(SUPPLY_SHARE * 100)}% of demand; worker processes with their own app and connection"
        ),
        "backends": measured,
        "targets": targets,
        "summary": summary,
    }
