"""The reports' JSON API: the department's reports (officers only) and the province's open data (anyone)."""

from __future__ import annotations

import csv
import io

from flask import Response, stream_with_context
from flask.views import MethodView
from marshmallow import Schema, fields

from core.api import Blueprint
from core.security import api_user
from reports import filters as report_filters
from reports import open_data, periods, services
from reports.describe import describe
from reports.schemas import ReportQuerySchema, ReportSchema, ReportsSchema, SupplyQuerySchema

blp = Blueprint("reports", __name__, description="Supply, marketplace and EUDR reports for the department")
open_blp = Blueprint("reports_open_data", __name__, description="The province's open data (CC BY 4.0, no sign-in)")


def _filters(query, *, default_all: bool = False):
    given = {key: value for key, value in query.items() if key in ReportQuerySchema().fields}
    if default_all and not given.get("period"):
        given["period"] = report_filters.ALL_TIME
    return report_filters.parse(given, today=periods.today())


@blp.route("/reports/supply")
class SupplyReport(MethodView):
    @blp.authenticated
    @blp.arguments(SupplyQuerySchema, location="query")
    @blp.response(200, ReportSchema)
    def get(self, query):
        """Harvested quantity, harvest lots and producers, filtered and grouped as asked (department officers)."""
        group_by = [g.strip() for g in query.get("group_by", "").split(",") if g.strip()]
        return describe(services.supply_report(api_user(), _filters(query), group_by, query["interval"]))


@blp.route("/reports/market")
class MarketReport(MethodView):
    @blp.authenticated
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, ReportsSchema)
    def get(self, query):
        """Marketplace sales by commodity, product and grade, and orders by status (department officers)."""
        return {"tables": [describe(t) for t in services.market_report(api_user(), _filters(query))]}


@blp.route("/reports/eudr")
class EudrReport(MethodView):
    @blp.authenticated
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, ReportsSchema)
    def get(self, query):
        """The EUDR-ready share of rubber (quantity, lots and plots) and the reasons for not ready (officers)."""
        return {"tables": [describe(t) for t in services.eudr_report(api_user(), _filters(query))]}


class OpenDataQuerySchema(Schema):
    commodity = ReportQuerySchema().fields["commodity"]
    product = ReportQuerySchema().fields["product"]
    commune = ReportQuerySchema().fields["commune"]
    period = fields.String(metadata={"description": "2026, 2026-Q1, 2026-03, 2025/26 or all (the default)"})


class OpenRecordSchema(Schema):
    commodity = fields.String(required=True)
    product = fields.String(required=True)
    province_code = fields.String(required=True)
    commune_code = fields.String(required=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    element = fields.String(required=True, metadata={"enum": [e[0] for e in open_data.ELEMENTS]})
    unit = fields.String(required=True, metadata={"enum": [e[1] for e in open_data.ELEMENTS]})
    value = fields.Raw(
        required=True,
        allow_none=True,
        metadata={"description": "kg as decimal text, counts as integers; null where suppressed"},
    )
    flag = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "suppressed: built from fewer than 3 producers", "enum": [open_data.SUPPRESSED, None]},
    )
    source = fields.String(required=True)


class OpenDataSchema(Schema):
    dataset = fields.String(required=True)
    licence = fields.String(required=True)
    licence_url = fields.String(required=True)
    updated_at = fields.DateTime(required=True, allow_none=True)
    records = fields.List(fields.Nested(OpenRecordSchema), required=True)


@open_blp.route("/open-data/supply")
class Supply(MethodView):
    @open_blp.arguments(OpenDataQuerySchema, location="query")
    @open_blp.response(200, OpenDataSchema)
    @open_blp.paginate()
    def get(self, query, pagination_parameters):
        """Harvested supply by commodity, product, commune and month, in long format (CC BY 4.0)."""
        filters = _filters(query, default_all=True)
        p = pagination_parameters
        p.item_count = open_data.count(filters)
        return {
            "dataset": open_data.SUPPLY.key,
            "licence": open_data.LICENCE,
            "licence_url": open_data.LICENCE_URL,
            "updated_at": open_data.updated_at(),
            "records": open_data.page(filters, p.first_item, p.page_size),
        }


def _csv_lines(filters):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=open_data.FIELDS, lineterminator="\r\n")
    writer.writeheader()
    yield "\ufeff" + buffer.getvalue()
    for record in open_data.records(filters):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(record)
        yield buffer.getvalue()


@open_blp.route("/open-data/supply.csv")
class SupplyCsv(MethodView):
    @open_blp.arguments(OpenDataQuerySchema, location="query")
    @open_blp.response(
        200,
        {"type": "string"},
        content_type="text/csv",
        description="The same records as CSV (UTF-8 with a byte order mark), streamed",
    )
    def get(self, query):
        """Harvested supply as CSV in long format, every record at once, streamed (CC BY 4.0)."""
        filters = _filters(query, default_all=True)
        response = Response(stream_with_context(_csv_lines(filters)), mimetype="text/csv")
        response.headers["Content-Disposition"] = 'attachment; filename="nongsan-supply.csv"'
        return response
