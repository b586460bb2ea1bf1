"""A ``Table`` as plain JSON values, the same for the API and the open data.

Kilograms, hectares, shares and ratios are decimal text (as everywhere in the API: no float rounds a kilogram),
counts and VND integers, days ISO dates, names text in the reader's language.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reports import names
from reports.tables import COUNT, DATE, HA, KG, RATIO, SHARE, VND, VND_PER_KG, Table

PLACES = {KG: Decimal("0.001"), HA: Decimal("0.0001"), SHARE: Decimal("0.0001"), RATIO: Decimal("0.0001")}


def value(kind: str, raw: Any) -> Any:
    if raw is None:
        return None
    if kind in PLACES:
        exact = Decimal(str(raw)).quantize(PLACES[kind], rounding=ROUND_HALF_UP)
        return format(exact.normalize(), "f") if exact else "0"
    if kind in (COUNT, VND, VND_PER_KG):
        return int(Decimal(str(raw)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if kind == DATE and isinstance(raw, date):
        return raw.isoformat()
    return names.shown(raw)


def describe(table: Table) -> dict[str, Any]:
    freshness = table.freshness
    return {
        "key": table.key,
        "title": names.shown(table.title),
        "note": names.shown(table.note) if table.note is not None else None,
        "columns": [{"key": c.key, "label": names.shown(c.label), "kind": c.kind} for c in table.columns],
        "rows": [{c.key: value(c.kind, row.get(c.key)) for c in table.columns} for row in table.rows],
        "freshness": None
        if freshness is None
        else {"refreshed_at": freshness.refreshed_at, "pending": freshness.pending, "current": freshness.current},
    }
