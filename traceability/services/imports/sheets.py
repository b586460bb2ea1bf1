"""Reading an uploaded CSV or XLSX sheet into rows, and writing the empty templates.

Only the first worksheet of a workbook is read; empty rows are skipped but keep
their number, so a reported row is the row the user sees in their spreadsheet.
Empty rows still count toward ``MAX_ROWS``: a sheet of a million blank lines is
refused, not read to the end. An .xlsx file is a zip: one of a few kilobytes can
unpack to gigabytes, so the sizes its entries declare are added up first.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from core.messages import Message
from traceability.messages import (
    CSV_NOT_UTF8,
    SHEET_EMPTY,
    SHEET_FILE_TOO_LARGE,
    SHEET_TOO_MANY_ROWS,
    XLSX_UNPACKS_TOO_LARGE,
    XLSX_UNREADABLE,
)
from traceability.services.imports.columns import COLUMNS, Column

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a 5,000-row sheet unpacks to a few MB
MAX_COLUMNS = 50  # the templates have about a dozen; a row is never widened past this
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UnreadableSheet(Exception):
    """The file is not a sheet we can read; ``message`` says why (the report gives it in both languages)."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sheet:
    headers: list[Any]
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row number, cell values)


def _blank(values: list[Any]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _collect(lines: Iterator[list[Any]]) -> Sheet:
    headers: list[Any] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(lines, start=1):
        if number > MAX_ROWS + 1:  # the header row and MAX_ROWS rows, blank ones included
            raise UnreadableSheet(SHEET_TOO_MANY_ROWS(max=MAX_ROWS))
        values = list(values)
        if headers is None:
            if _blank(values):
                continue
            headers = values
            continue
        if _blank(values):
            continue
        rows.append((number, values))
    if headers is None:
        raise UnreadableSheet(SHEET_EMPTY)
    return Sheet(headers=headers, rows=rows)


def _read_csv(data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableSheet(CSV_NOT_UTF8) from None
    first_line = text.split("\n", 1)[0]
    # Vietnamese Excel writes ';' between cells because ',' is its decimal mark.
    delimiter = max((";", ",", "\t"), key=first_line.count)
    return _collect(iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a zip whose entries would unpack to more than MAX_UNPACKED_BYTES (a "zip bomb")."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableSheet(XLSX_UNREADABLE) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableSheet(XLSX_UNPACKS_TOO_LARGE(mb=MAX_UNPACKED_BYTES // (1024 * 1024)))


def _read_xlsx(data: bytes) -> Sheet:
    _check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UnreadableSheet(XLSX_UNREADABLE) from None
    try:
        return _collect(iter(workbook.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)))
    finally:
        workbook.close()


def read_sheet(filename: str, data: bytes) -> Sheet:
    """The rows of an uploaded .csv or .xlsx file (told apart by content, then by name)."""
    if len(data) > MAX_BYTES:
        raise UnreadableSheet(SHEET_FILE_TOO_LARGE)
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if (filename or "").lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableSheet(XLSX_UNREADABLE)
    return _read_csv(data)


def template_csv(kind: str) -> bytes:
    """The header row, with a byte-order mark so that Excel shows Vietnamese letters correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([column.vi for column in COLUMNS[kind]])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _guide(sheet, columns: tuple[Column, ...]) -> None:
    sheet.append(["cột", "bắt buộc", "ý nghĩa", "ví dụ", "column (English)"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in columns:
        sheet.append([column.vi, "có" if column.required else "", column.help_vi, column.example, column.en])
    for letter, width in zip("ABCDE", (34, 10, 70, 22, 34), strict=True):
        sheet.column_dimensions[letter].width = width


def template_xlsx(kind: str) -> bytes:
    """A workbook: the sheet to fill (headers only) first, then a guide to each column with an example."""
    columns = COLUMNS[kind]
    workbook = Workbook()
    data = workbook.active
    data.title = "Dữ liệu"
    data.append([column.vi for column in columns])
    for index, cell in enumerate(data[1]):
        cell.font = Font(bold=True)
        data.column_dimensions[cell.column_letter].width = max(14, len(columns[index].vi) + 4)
    # Codes with leading zeros and numbers with a decimal comma stay as typed.
    for index, column in enumerate(columns, start=1):
        if column.key in {"commune_code", "growing_area_code", "plots", "lot_number", "household"}:
            letter = data.cell(row=1, column=index).column_letter
            data.column_dimensions[letter].number_format = "@"
    data.freeze_panes = "A2"
    _guide(workbook.create_sheet("Hướng dẫn"), columns)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
