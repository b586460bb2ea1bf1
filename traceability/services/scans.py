"""Scan counts: how many times a batch's public trace page was opened, by day.

What counts: a full page (200) sent to something that is not a robot. A 304
answer is a browser re-checking a page it already shows, not a new look, so it
is not counted; nor are HEAD requests, link previewers (Zalo, Facebook, ...)
or crawlers. Nothing about the visitor is kept: no IP address, no cookie, no
User-Agent, only a counter per batch and Vietnam calendar day. Each process
adds up its views in memory and, after the response has gone out, sends them at
most every ``SCAN_FLUSH_SECONDS`` (default 10) as one Celery task
(``traceability.record_scans``): a page view never waits for the count, and a
busy page costs one UPSERT per lot and interval instead of one task per view. A
worker that dies loses at most that interval's views, never a page.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.accounts.models import User
from core.db import utcnow
from core.errors import PermissionDenied, ValidationError
from core.extensions import db
from traceability.errors import BatchNotFoundError
from traceability.messages import (
    SCAN_DAY_OUT_OF_RANGE,
    SCAN_DAY_OUT_OF_RANGE_DETAIL,
    SCAN_RANGE_REVERSED,
    SCAN_RANGE_REVERSED_DETAIL,
    SCAN_RANGE_TOO_LONG,
    SCAN_RANGE_TOO_LONG_DETAIL,
    SCANS_HOLDER_ONLY,
)
from traceability.models import Batch, BatchScanDay
from traceability.services.access import Reader, find_batch

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_DAYS = 30
MAX_DAYS = 366
# Days a range may name: long before the platform, long after any lot (and far from date.min and date.max).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)

# Robots, crawlers and the fetchers behind link previews in chat apps and social networks.
_ROBOT = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|facebookcatalog|zalo|whatsapp|telegram|skype|viber|"
    r"discord|slack|embedly|quora link|pinterest|vkshare|w3c_validator|headless|python-requests|curl|wget|httpclient",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=2048)  # phones send a few hundred distinct User-Agents, each scan one of them
def is_robot(user_agent: str | None) -> bool:
    """Whether a User-Agent is a robot or a link previewer; a missing one counts as a robot."""
    return not user_agent or _ROBOT.search(user_agent) is not None


def scan_day(moment: datetime | None = None) -> date:
    """The Vietnam calendar day of ``moment`` (now by default): a scan at 06:30 in Hà Nội is that day's, not UTC's."""
    return (moment or utcnow()).astimezone(VIETNAM).date()


def record_scan(batch_id: int, day: date, count: int = 1) -> None:
    """Add ``count`` views of batch ``batch_id`` on ``day``: one UPSERT, safe when many workers count the same row."""
    record_scans({(batch_id, day): count})


def record_scans(counts: dict[tuple[int, date], int]) -> None:
    """Add each (batch id, day) -> views of ``counts`` in one transaction, lots that are gone skipped."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    known = set(db.session.scalars(select(Batch.id).where(Batch.id.in_({batch_id for batch_id, _ in counts}))))
    for (batch_id, day), count in sorted(counts.items()):
        if batch_id not in known or count <= 0:
            continue
        statement = insert(BatchScanDay).values(batch_id=batch_id, day=day, count=count)
        statement = statement.on_conflict_do_update(
            index_elements=["batch_id", "day"], set_={"count": BatchScanDay.count + statement.excluded.count}
        )
        db.session.execute(statement)
    db.session.commit()


class ViewTally:
    """Views counted in this process, sent together by ``send`` (one task) at most every ``interval`` seconds."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[int, str]] = Counter()
        self._lock = threading.Lock()
        self._sent_at = time.monotonic()

    def add(self, batch_id: int, day: date) -> None:
        with self._lock:
            self._counts[(batch_id, day.isoformat())] += 1

    def due(self, interval: float) -> bool:
        """Whether there are views to send and ``interval`` seconds have passed since the last send."""
        return bool(self._counts) and time.monotonic() - self._sent_at >= interval

    def flush(self, send: Callable[[list[list]], None], interval: float, force: bool = False) -> None:
        """Hand the counts so far to ``send`` as [[batch id, day, views], ...] if ``interval`` has passed; a failed
        send keeps them for the next flush."""
        with self._lock:
            now = time.monotonic()
            if not self._counts or (not force and now - self._sent_at < interval):
                return
            counts, self._counts, self._sent_at = self._counts, Counter(), now
        try:
            send([[batch_id, day, views] for (batch_id, day), views in sorted(counts.items())])
        except Exception:
            with self._lock:
                self._counts.update(counts)
            raise


def tally_of(app) -> ViewTally:
    """The app's tally (one per app, so that views never go to another app's database)."""
    return app.extensions.setdefault("traceability.view_tally", ViewTally())


def scan_counts(user: User | None, code: str, *, start: date | None = None, end: date | None = None) -> dict:
    """Views of batch ``code`` per day from ``start`` to ``end`` (the last 30 days by default), for its custodian.

    Only whoever may act for the custodian sees them: a reader who may not act
    (a department officer, a receiver while in transit) gets 403, anyone else 404.
    Every day of the range is listed, days without views with 0.
    """
    reader = Reader(user)
    batch = find_batch(code)
    if batch is None or not reader.may_read(batch):
        raise BatchNotFoundError(code)
    if not reader.may_act(batch):
        raise PermissionDenied(SCANS_HOLDER_ONLY(code=batch.code))
    for field, value in (("start", start), ("end", end)):
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise ValidationError(
                SCAN_DAY_OUT_OF_RANGE_DETAIL, errors={field: [SCAN_DAY_OUT_OF_RANGE(first=FIRST_DAY, last=LAST_DAY)]}
            )
    end = end or scan_day()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValidationError(SCAN_RANGE_REVERSED_DETAIL, errors={"start": [SCAN_RANGE_REVERSED]})
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError(SCAN_RANGE_TOO_LONG_DETAIL, errors={"start": [SCAN_RANGE_TOO_LONG(days=MAX_DAYS)]})
    counted = dict(
        db.session.execute(
            select(BatchScanDay.day, BatchScanDay.count).where(
                BatchScanDay.batch_id == batch.id, BatchScanDay.day >= start, BatchScanDay.day <= end
            )
        ).all()
    )
    overall = (
        db.session.scalar(
            select(func.coalesce(func.sum(BatchScanDay.count), 0)).where(BatchScanDay.batch_id == batch.id)
        )
        or 0
    )
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    per_day = [{"day": day, "count": counted.get(day, 0)} for day in days]
    return {
        "batch_code": batch.code,
        "start": start,
        "end": end,
        "total": sum(row["count"] for row in per_day),
        "all_time": overall,
        "days": per_day,
    }
