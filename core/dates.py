"""Days as people type them into a form or a query string (an ISO date from ``<input type="date">``)."""

from __future__ import annotations

from datetime import date


def parse_day(text: str | None) -> date | None:
    """The day ``text`` names ("2025-03-01"); None when it is empty or names no day.

    A page treats both alike (the field is left out, or asked for again), so a
    typed "31/02" never becomes a 500.
    """
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
