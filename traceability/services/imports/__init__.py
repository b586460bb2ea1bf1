"""Bulk import of plots and harvests from a CSV or XLSX sheet, for co-ops that register many members at once.

Every row is checked and every problem reported (in Vietnamese, with the English
alongside) by row and column; the import is one transaction, so a sheet with a
single bad row writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.accounts.models import User
from core.accounts.permissions import actable_organization_ids, require_act_for
from core.errors import ValidationError
from core.extensions import db
from core.messages import Message
from traceability.messages import (
    COLUMN_MISSING,
    IMPORT_KIND_CHOICES,
    IMPORT_KIND_UNKNOWN,
    SHEET_NO_ROWS,
    SHEET_REJECTED,
    TEMPLATE_CHOICES,
    TEMPLATE_UNKNOWN,
)
from traceability.services import batches as batch_service
from traceability.services.access import Reader
from traceability.services.imports.columns import COLUMNS, RowProblem, column_by_header, header_key
from traceability.services.imports.rows import PlotIndex, RowContext, harvest_row, plot_row
from traceability.services.imports.sheets import XLSX_TYPE, UnreadableSheet, read_sheet, template_csv, template_xlsx

KINDS = tuple(COLUMNS)
TEMPLATE_FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}


class SheetRejected(ValidationError):
    """The sheet was not imported; ``problems`` lists each bad row and column."""

    def __init__(self, problems: list[RowProblem]):
        rows = [problem.as_dict() for problem in problems]
        errors: dict[str, list[str]] = {}
        for entry in rows:
            key = f"rows.{entry['row']}.{entry['field']}" if entry["field"] else f"rows.{entry['row']}"
            errors.setdefault(key, []).extend([entry["message"], entry["message_en"]])
        super().__init__(
            SHEET_REJECTED(count=len(rows)),
            errors=errors,
            problems=rows,
        )
        self.problems = rows


@dataclass
class ImportResult:
    kind: str
    created: int
    plot_ids: list[int] = field(default_factory=list)
    batch_codes: list[str] = field(default_factory=list)


def _file_problem(message: Message) -> SheetRejected:
    return SheetRejected([RowProblem.of(1, None, message)])


def run_import(actor: User, organization_id: int, kind: str, filename: str, data: bytes) -> ImportResult:
    """Import every row of the sheet for ``organization_id`` (and its member households), or nothing."""
    if kind not in COLUMNS:
        raise ValidationError(IMPORT_KIND_UNKNOWN, errors={"kind": [IMPORT_KIND_CHOICES(allowed=", ".join(KINDS))]})
    organization = require_act_for(actor, organization_id)
    try:
        sheet = read_sheet(filename, data)
    except UnreadableSheet as exc:
        raise _file_problem(exc.message) from None

    known = column_by_header(kind)
    positions: dict[str, int] = {}
    for index, header in enumerate(sheet.headers):
        column = known.get(header_key(header))
        if column is not None and column.key not in positions:
            positions[column.key] = index
    missing = [column for column in COLUMNS[kind] if column.required and column.key not in positions]
    if missing:
        raise SheetRejected([RowProblem.of(1, column, COLUMN_MISSING) for column in missing])
    if not sheet.rows:
        raise _file_problem(SHEET_NO_ROWS)

    columns = {column.key: column for column in COLUMNS[kind]}
    for alias, key in (("harvest_date", "harvest_start"), ("plot_ids", "plots"), ("organization_id", "household")):
        if key in columns:
            columns[alias] = columns[key]
    context = RowContext(actor, organization, actable_organization_ids(actor))
    result = ImportResult(kind=kind, created=0)
    made: list = []
    try:
        if kind == "plots":
            for row, values in sheet.rows:
                cells = {key: values[i] if i < len(values) else None for key, i in positions.items()}
                made.append(plot_row(context, row, cells, columns))
        else:
            plots = PlotIndex(set(context.organizations))
            reader = Reader(actor)
            for row, values in sheet.rows:
                cells = {key: values[i] if i < len(values) else None for key, i in positions.items()}
                made.append(harvest_row(context, row, cells, columns, plots, reader))
        if context.problems:
            raise SheetRejected(sorted(context.problems, key=lambda p: p.row))
        if kind == "harvests":
            made = batch_service.commission_harvests(actor, made)
        db.session.flush()
        if kind == "plots":
            result.plot_ids = [plot.id for plot in made]
        else:
            result.batch_codes = [batch.code for batch in made]
        result.created = len(made)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result


def template_file(kind: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, mimetype, download name) of the empty template for ``kind`` in ``fmt`` (csv or xlsx)."""
    if kind not in COLUMNS or fmt not in TEMPLATE_FORMATS:
        raise ValidationError(TEMPLATE_UNKNOWN, errors={"kind": [TEMPLATE_CHOICES(allowed=", ".join(KINDS))]})
    content = template_csv(kind) if fmt == "csv" else template_xlsx(kind)
    name = {"plots": "mau-nhap-lo-dat", "harvests": "mau-nhap-thu-hoach"}[kind]
    return content, TEMPLATE_FORMATS[fmt], f"{name}.{fmt}"
