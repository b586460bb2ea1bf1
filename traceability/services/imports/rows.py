"""Turning the rows of a sheet into plots or harvests, collecting every problem instead of stopping at the first."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from core.accounts.models import Organization, User
from core.errors import ValidationError
from core.extensions import db
from core.geo.names import fold, name_key
from core.geo.units import registry
from core.numbers import parse_decimal
from traceability import catalog
from traceability.models import Plot
from traceability.services import batches as batch_service
from traceability.services import plots as plot_service
from traceability.services.access import Reader
from traceability.services.imports.columns import Column, RowProblem, vietnamese

CROP_WORDS = {
    "dieu": "cashew",
    "cashew": "cashew",
    "tieu": "pepper",
    "ho tieu": "pepper",
    "pepper": "pepper",
    "cao su": "rubber",
    "rubber": "rubber",
}
PRODUCT_WORDS = {
    "hat dieu tho": "raw_cashew_nuts",
    "dieu tho": "raw_cashew_nuts",
    "hat dieu": "raw_cashew_nuts",
    "raw cashew nuts": "raw_cashew_nuts",
    "tieu tuoi": "fresh_pepper",
    "fresh pepper": "fresh_pepper",
    "mu nuoc": "field_latex",
    "mu cao su nuoc": "field_latex",
    "field latex": "field_latex",
    "latex": "field_latex",
    "mu dong": "cup_lump",
    "mu chen": "cup_lump",
    "mu dong chen": "cup_lump",
    "cup lump": "cup_lump",
}
UNIT_WORDS = {"kg": "kg", "kilogram": "kg", "t": "t", "tan": "t", "tonne": "t", "ton": "t"}
YES = {"co", "yes", "x", "1", "true", "dong y"}
# The templates are Vietnamese and so is the Excel that fills them: "1.250,5" (coordinates excepted).
SHEET_LOCALE = "vi"
NO = {"khong", "no", "0", "false", ""}


class RowContext:
    """What every row of one import shares: who acts, for which organization, and the lookups they need."""

    def __init__(self, actor: User, organization: Organization, actable_ids: set[int]):
        self.actor = actor
        self.organization = organization
        self.organizations = {
            o.id: o for o in db.session.scalars(select(Organization).where(Organization.id.in_(actable_ids)))
        }
        self.by_name: dict[str, list[int]] = {}
        for org in self.organizations.values():
            self.by_name.setdefault(fold(org.name), []).append(org.id)
        home = registry().commune_by_code.get(organization.commune_code or "")
        self.province_code = home.province_code if home else "75"
        self.problems: list[RowProblem] = []

    def problem(self, row: int, column: Column | None, message_vi: str, message_en: str) -> None:
        self.problems.append(RowProblem(row, column, message_vi, message_en))

    def field_errors(self, row: int, errors: dict[str, list[str]], columns: dict[str, Column]) -> None:
        for field, messages in errors.items():
            column = columns.get(field)
            for message in messages:
                vi = (
                    f"không hợp lệ ({message})"
                    if field in {"geometry", "latitude", "longitude"}
                    else vietnamese(message)
                )
                self.problem(row, column, vi, message)

    def household(self, value: Any, row: int, column: Column) -> int | None:
        """The organization a row is for: the importing one when empty, else a member household by name or id."""
        text = "" if value is None else str(value).strip()
        if not text:
            return self.organization.id
        if text.isdigit() and int(text) in self.organizations:
            return int(text)
        ids = self.by_name.get(fold(text), [])
        if len(ids) == 1:
            return ids[0]
        self.problem(row, column, "không phải hộ thành viên mà bạn được quản lý", "not a household you may act for")
        return None

    def commune_code(self, value: Any) -> str:
        """A commune code as given, or the code of the commune named (in the organization's province)."""
        text = "" if value is None else str(value).strip()
        if not text or text.isdigit():
            return text.zfill(5) if text and len(text) < 5 else text
        units = [
            u for u in registry().communes_by_name_key.get(name_key(text), ()) if u.province_code == self.province_code
        ]
        return units[0].code if len(units) == 1 else text


def _cell(cells: dict[str, Any], key: str) -> Any:
    value = cells.get(key)
    return value.strip() if isinstance(value, str) else value


def _text(cells: dict[str, Any], key: str) -> str | None:
    """A cell as text (Excel hands over 320 for a grade typed as 320), None when empty."""
    value = cells.get(key)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def plot_row(context: RowContext, row: int, cells: dict[str, Any], columns: dict[str, Column]) -> Plot | None:
    """One plot from one row, added to the session; None (and problems recorded) if the row is wrong."""
    before = len(context.problems)
    organization_id = context.household(cells.get("household"), row, columns["household"])
    data: dict[str, Any] = {
        key: _cell(cells, key) for key in ("name", "street", "area_ha", "growing_area_code", "geometry")
    }
    data["commune_code"] = context.commune_code(cells.get("commune_code"))
    crops_text = _cell(cells, "crops") or ""
    crops = [
        CROP_WORDS.get(fold(part), part.strip())
        for part in str(crops_text).replace(",", ";").split(";")
        if part.strip()
    ]
    data["crops"] = crops
    flag = fold(str(_cell(cells, "deforestation_free") or ""))
    if flag not in YES | NO:
        context.problem(
            row, columns["deforestation_free"], "chỉ nhận «có» hoặc «không»", "use 'có' (yes) or 'không' (no)"
        )
    data["deforestation_free"] = flag in YES
    latitude, longitude = _cell(cells, "latitude"), _cell(cells, "longitude")
    if not data["geometry"] and (latitude not in (None, "") or longitude not in (None, "")):
        lat, lng = parse_decimal(latitude, locale="en"), parse_decimal(longitude, locale="en")
        if lat is None:
            context.problem(
                row,
                columns["latitude"],
                "phải là số (vĩ độ, ví dụ 11.851234)",
                "must be a number (latitude, e.g. 11.851234)",
            )
        if lng is None:
            context.problem(
                row,
                columns["longitude"],
                "phải là số (kinh độ, ví dụ 106.581234)",
                "must be a number (longitude, e.g. 106.581234)",
            )
        if lat is not None and lng is not None:
            data["geometry"] = {"type": "Point", "coordinates": [float(lng), float(lat)]}
    try:
        cleaned = plot_service.clean_plot_fields(data, locale=SHEET_LOCALE)
    except ValidationError as exc:
        errors = dict(exc.errors)
        if (
            data["geometry"]
            and isinstance(data["geometry"], dict)
            and "geometry" in errors
            and not _cell(cells, "geometry")
        ):
            errors["latitude"] = errors.pop("geometry")  # the point came from the latitude/longitude cells
        context.field_errors(row, errors, columns)
        return None
    if organization_id is None or len(context.problems) > before:
        return None
    return plot_service.new_plot(context.actor, organization_id, cleaned)


def _date(value: Any) -> date | None | bool:
    """A date from a cell (an Excel date, or text d/m/yyyy or yyyy-mm-dd); None if empty; False if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return False


class PlotIndex:
    """Plots of the organizations an import may use, found by id or by name (within a household when one is given)."""

    def __init__(self, organization_ids: set[int]):
        self.by_id: dict[int, Plot] = {}
        self.by_name: dict[tuple[int, str], list[Plot]] = {}
        self.by_name_anywhere: dict[str, list[Plot]] = {}
        for plot in db.session.scalars(select(Plot).where(Plot.organization_id.in_(organization_ids or {-1}))):
            self.by_id[plot.id] = plot
            self.by_name.setdefault((plot.organization_id, fold(plot.name)), []).append(plot)
            self.by_name_anywhere.setdefault(fold(plot.name), []).append(plot)

    def find(self, text: str, organization_id: int | None, importing_id: int) -> Plot | None | list:
        key = fold(text)
        for owner in dict.fromkeys(i for i in (organization_id, importing_id) if i is not None):
            found = self.by_name.get((owner, key), [])
            if len(found) == 1:
                return found[0]
        anywhere = self.by_name_anywhere.get(key, [])
        if len(anywhere) == 1:
            return anywhere[0]
        if len(anywhere) > 1:
            return anywhere
        if text.isdigit():
            return self.by_id.get(int(text))
        return None


_HARVEST_FIELDS = {
    "harvest_date": "harvest_start",
    "plot_ids": "plots",
    "organization_id": "household",
    "commodity": "product",
}


def _harvest_plots(
    context: RowContext, row: int, text: str, column: Column, plots: PlotIndex, organization_id: int | None
) -> list[int]:
    """The ids of the plots a harvest row names ("Lô 1; Lô 2"); a problem recorded for each name not found once."""
    plot_ids: list[int] = []
    for part in text.split(";"):
        if not part.strip():
            continue
        found = plots.find(part.strip(), organization_id, context.organization.id)
        if isinstance(found, list):
            context.problem(
                row,
                column,
                f"có nhiều lô tên «{part.strip()}»: ghi hộ thành viên hoặc mã số lô",
                f"several plots are called '{part.strip()}': give the household or the plot id",
            )
        elif found is None:
            context.problem(row, column, f"không tìm thấy lô «{part.strip()}»", f"no plot '{part.strip()}'")
        else:
            plot_ids.append(found.id)
    return plot_ids


def harvest_row(
    context: RowContext, row: int, cells: dict[str, Any], columns: dict[str, Column], plots: PlotIndex, reader: Reader
) -> batch_service.CheckedHarvest | None:
    """One row's harvest, checked by the batch service (nothing written: the import commissions every row's lot at
    once); None if the row is wrong."""
    before = len(context.problems)
    household_text = _cell(cells, "household")
    organization_id = context.household(household_text, row, columns["household"]) if household_text else None
    plot_ids = _harvest_plots(context, row, _text(cells, "plots") or "", columns["plots"], plots, organization_id)
    if not plot_ids and len(context.problems) == before:
        context.problem(row, columns["plots"], "không được để trống", "This field is required.")
    product_text = _text(cells, "product") or ""
    product = PRODUCT_WORDS.get(fold(product_text), product_text)
    if not product_text:
        context.problem(row, columns["product"], "không được để trống", "This field is required.")
    quantity = parse_decimal(_cell(cells, "quantity"), locale=SHEET_LOCALE)
    if _cell(cells, "quantity") in (None, ""):
        context.problem(row, columns["quantity"], "không được để trống", "This field is required.")
    elif quantity is None or quantity <= 0:
        context.problem(row, columns["quantity"], "phải là số lớn hơn 0", "must be a number greater than 0")
    unit_text = fold(str(_cell(cells, "unit") or "kg"))
    unit = UNIT_WORDS.get(unit_text)
    if unit is None:
        context.problem(row, columns["unit"], "chỉ nhận kg hoặc tấn", "use kg or t")
    drc_cell = _cell(cells, "drc_percent")
    drc = parse_decimal(drc_cell, locale=SHEET_LOCALE) if drc_cell not in (None, "") else None
    if drc_cell not in (None, "") and drc is None:
        context.problem(row, columns["drc_percent"], "phải là số", "must be a number")
    dates = {}
    for key in ("harvest_start", "harvest_end"):
        dates[key] = _date(cells.get(key))
        if dates[key] is False:
            context.problem(
                row,
                columns[key],
                "phải là ngày dạng ngày/tháng/năm, ví dụ 15/01/2026",
                "must be a date as day/month/year, e.g. 15/01/2026",
            )
    if len(context.problems) > before:
        return None
    try:
        return batch_service.check_harvest(
            context.actor,
            product=product if product in catalog.PRODUCTS else product_text,
            quantity=quantity,
            unit=unit,
            plot_ids=plot_ids,
            grade=_text(cells, "grade"),
            drc_percent=drc,
            organization_id=organization_id,
            # One day is a harvest_date, so that its errors point at the date column the row filled in.
            harvest_date=dates["harvest_start"] if dates["harvest_end"] is None else None,
            harvest_start=dates["harvest_start"] if dates["harvest_end"] is not None else None,
            harvest_end=dates["harvest_end"],
            lot_number=_text(cells, "lot_number"),
            note=_text(cells, "note"),
            reader=reader,
        )
    except ValidationError as exc:
        context.field_errors(row, {_HARVEST_FIELDS.get(k, k): v for k, v in exc.errors.items()}, columns)
        return None
