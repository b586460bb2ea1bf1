"""Rendered trace pages, kept per process by the entity tag of what they show.

A page is built once per version (lot, lineage versions, ledger audit, language, static files) and the bytes are
sent again to every visitor who asks for that version, so a lot scanned by a thousand buyers is built once. Only
anonymous pages are kept: a signed-in visitor's page carries their own menu. Bounded by ``TRACE_PAGE_CACHE_MB``,
least recently used out first; a new version simply gets a new key and the old page ages out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable


class PageCache:
    def __init__(self) -> None:
        self._pages: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get_or_build(self, key: str, build: Callable[[], bytes], limit_bytes: int) -> bytes:
        with self._lock:
            body = self._pages.get(key)
            if body is not None:
                self._pages.move_to_end(key)
                return body
        body = build()
        if len(body) > limit_bytes:
            return body
        with self._lock:
            if key not in self._pages:
                self._pages[key] = body
                self._bytes += len(body)
            while self._bytes > limit_bytes:
                _key, old = self._pages.popitem(last=False)
                self._bytes -= len(old)
        return body

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


def pages_of(app) -> PageCache:
    """The app's cache (one per app: two apps in one process, as in the tests, never share pages)."""
    return app.extensions.setdefault("traceability.trace_pages", PageCache())
