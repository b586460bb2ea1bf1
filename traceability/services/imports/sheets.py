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

from traceability.services.imports.columns import COLUMNS, Column

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a 5,000-row sheet unpacks to a few MB
MAX_COLUMNS = 50  # the templates have about a dozen; a row is never widened past this
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UnreadableSheet(Exception):
    """The file is not a sheet we can read; ``message_vi``/``message_en`` say why."""

    def __init__(self, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en


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
            raise UnreadableSheet(
                f"Tệp có hơn {MAX_ROWS} dòng; hãy chia thành nhiều tệp.",
                f"The sheet has more than {MAX_ROWS} rows; split it.",
            )
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
        raise UnreadableSheet(
            "Tệp trống: dòng đầu phải là tên các cột như trong mẫu.",
            "The sheet is empty: its first row must name the columns as in the template.",
        )
    return Sheet(headers=headers, rows=rows)


def _read_csv(data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableSheet(
            "Tệp CSV phải lưu với mã hoá UTF-8 (Excel: «CSV UTF-8»).",
            "Save the CSV file as UTF-8 (Excel: 'CSV UTF-8').",
        ) from None
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
        raise UnreadableSheet(
            "Không đọc được tệp Excel (.xlsx); hãy dùng tệp mẫu.",
            "The Excel (.xlsx) file cannot be read; start from the template.",
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableSheet(
            f"Tệp Excel khi giải nén lớn hơn {MAX_UNPACKED_BYTES // (1024 * 1024)} MB; hãy xoá bớt dữ liệu hoặc "
            "chia thành nhiều tệp.",
            f"The Excel file unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB; remove data or split "
            "it into several files.",
        )


def _read_xlsx(data: bytes) -> Sheet:
    _check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UnreadableSheet(
            "Không đọc được tệp Excel (.xlsx); hãy dùng tệp mẫu.",
            "The Excel (.xlsx) file cannot be read; start from the template.",
        ) from None
    try:
        return _collect(iter(workbook.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)))
    finally:
        workbook.close()


def read_sheet(filename: str, data: bytes) -> Sheet:
    """The rows of an uploaded .csv or .xlsx file (told apart by content, then by name)."""
    if len(data) > MAX_BYTES:
        raise UnreadableSheet("Tệp lớn hơn 5 MB.", "The file is larger than 5 MB.")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if (filename or "").lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableSheet(
            "Không đọc được tệp Excel (.xlsx); hãy dùng tệp mẫu.",
            "The Excel (.xlsx) file cannot be read; start from the template.",
        )
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
