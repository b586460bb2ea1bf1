"""The department's report pages: a dashboard per section with charts and their numbers, and the downloads."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.accounts.permissions import require_department_officer
from core.errors import ValidationError
from core.geo.services import DEFAULT_PROVINCE_CODE, list_communes
from core.i18n import day
from core.messages import N_
from core.navigation import OFFICER, MenuItem
from reports import exports, periods, services
from reports import summary_pdf as summary_pdf_module
from reports.charts import chart_of
from reports.filters import ALL_TIME, CERTIFICATIONS, Filters, parse
from reports.names import certification, commodity, product, shown
from traceability.catalog import COMMODITIES, PRODUCTS

bp = Blueprint("department_reports", __name__, url_prefix="/department/reports")
SECTION_NAMES = {
    "supply": N_("Supply"),
    "market": N_("Marketplace"),
    "eudr": N_("EUDR"),
    "anomalies": N_("Anomalies"),
}
MENU_ITEMS = (
    MenuItem("department_reports.index", N_("Reports"), frozenset({OFFICER}), primary=frozenset({OFFICER}), order=5),
)


def _filters() -> tuple[Filters | None, dict]:
    try:
        return parse(request.args, today=periods.today()), {}
    except ValidationError as error:
        return None, error.errors


def _choices() -> dict:
    return {
        "commodities": [(code, commodity(code)) for code in COMMODITIES],
        "products": [(code, p.name) for code, p in PRODUCTS.items()],
        "communes": [(unit.code, unit.name) for unit in list_communes(DEFAULT_PROVINCE_CODE)],
        "certifications": [(code, certification(code)) for code in CERTIFICATIONS],
    }


@bp.get("")
@login_required
def index():
    """The department's landing in the reports: the supply section."""
    return dashboard("supply")


@bp.get("/<section>")
@login_required
def dashboard(section: str):
    require_department_officer(current_user)
    if section not in SECTION_NAMES:
        abort(404)
    filters, errors = _filters()
    tables = services.section(current_user, section, filters) if filters is not None else []
    charts = {table.key: chart_of(table) for table in tables}
    if "plots_by_commune" in charts:
        charts["plots_by_commune"] = services.plot_map(current_user, filters)
    query = filters.as_query() if filters is not None else request.args.to_dict()
    return render_template(
        "reports/dashboard.html",
        section=section,
        sections=SECTION_NAMES,
        tables=[(table, charts[table.key]) for table in tables],
        filters=filters,
        errors=errors,
        query=query,
        given=request.args,
        period_default=periods.current_season(periods.today()).code,
        seasons=[season.code for season in periods.recent_seasons(periods.today(), 3)],
        all_time=ALL_TIME,
        product_name=product,
        **_choices(),
    ), (422 if errors else 200)


@bp.get("/download/<key>.<any(csv, xlsx):extension>")
@login_required
def download(key: str, extension: str):
    require_department_officer(current_user)
    filters, errors = _filters()
    if filters is None:
        abort(422)
    table = services.table(current_user, key, filters)
    name = exports.file_name(table, filters.period.code if filters.period else None, extension)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if extension == "csv":
        return Response(stream_with_context(exports.csv_lines(table)), mimetype=exports.CSV_TYPE, headers=headers)
    return Response(exports.xlsx_bytes(table), mimetype=exports.XLSX_TYPE, headers=headers)


@bp.get("/summary.pdf")
@login_required
def summary_pdf():
    """The supply section for the filters chosen, as a PDF to print or send on."""
    require_department_officer(current_user)
    filters, errors = _filters()
    if filters is None:
        abort(422)
    tables = services.section(current_user, "supply", filters)
    period = filters.period
    period_text = f"{period.code} ({day(period.start)} – {day(period.end)})" if period else _("all time")
    name = f"supply-summary-{(period.code if period else 'all').replace('/', '-')}.pdf"
    return Response(
        summary_pdf_module.render(tables, period_text=period_text),
        mimetype=summary_pdf_module.CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/refresh")
@login_required
def refresh():
    services.request_refresh(current_user)
    flash(_("The figures are being refreshed; reload the page in a moment."), "success")
    back = request.form.get("next") or ""
    return redirect(back if back.startswith("/department/reports") else url_for("department_reports.index"), 303)


@bp.app_template_filter("report_text")
def report_text(value) -> str:
    """A name, label or message of a report in the reader's language."""
    return shown(value)
