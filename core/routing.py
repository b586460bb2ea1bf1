"""URL converters: ``<int:...>`` parts that fit the database's integer columns.

Werkzeug's ``int`` converter takes any number of digits; an id of 2^70 in a URL then
reaches the database, where SQLite cannot bind it and PostgreSQL refuses it, and the
visitor gets a 500. Registered as the app's ``int`` converter, this one matches only
numbers up to ``MAX_ID``, so a larger one is a 404 like any id that names nothing.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

# The largest signed 32-bit integer: id columns are INTEGER on PostgreSQL (BIGINT would also hold it).
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` limited to 0..MAX_ID unless a route asks for other bounds."""

    def __init__(
        self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID, signed: bool = False
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
