"""Downloads of a report: CSV (UTF-8 with a byte order mark, so Excel shows Vietnamese) and XLSX.

Both are written row by row: the CSV as a stream of lines, the XLSX with openpyxl's write-only workbook, so memory
does not grow with the rows. Numbers stay numbers (a spreadsheet can add them up); names are in the reader's
language, and the header row holds the columns' labels.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from reports import names
from reports.tables import DATE, NUMERIC, Table

BOM = "\ufeff"
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind in NUMERIC:
        return value if isinstance(value, int | float | Decimal) else Decimal(str(value))
    if kind == DATE and isinstance(value, date):
        return value
    return names.shown(value)


def _rows(table: Table) -> Iterator[list[Any]]:
    yield [names.shown(column.label) for column in table.columns]
    for values in table.values():
        yield [_cell(column.kind, value) for column, value in zip(table.columns, values, strict=True)]


def csv_lines(table: Table) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    first = True
    for row in _rows(table):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, date) else v) for v in row])
        yield (BOM if first else "") + buffer.getvalue()
        first = False


def xlsx_bytes(table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.key[:31])
    for row in _rows(table):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def file_name(table: Table, period_code: str | None, extension: str) -> str:
    period = (period_code or "all").replace("/", "-")
    return f"{table.key}-{period}.{extension}"
