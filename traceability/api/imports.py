"""Bulk imports of plots and harvests from CSV or XLSX sheets, and their templates."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from core.api import MultipartBlueprint
from core.security import current_actor
from traceability.schemas.plots import ImportRequestSchema, ImportResultSchema
from traceability.services import imports as import_service

blp = MultipartBlueprint("imports", __name__, description="Bulk imports of plots and harvests (CSV or XLSX)")


@blp.route("/imports")
class Imports(MethodView):
    @blp.authenticated
    @blp.arguments(ImportRequestSchema, location="form", content_type="multipart/form-data")
    @blp.response(201, ImportResultSchema)
    def post(self, args):
        """Import every row of a sheet, or nothing

        `kind` is `plots` or `harvests`; start from the template at
        /api/v1/imports/templates/<kind>.csv or .xlsx. Any bad row makes the whole
        import fail with 422: `problems` lists each one with its row, column and a
        message in Vietnamese (`message`) and English (`message_en`).
        """
        upload = args["file"]
        return import_service.run_import(
            current_actor(), args["organization_id"], args["kind"], upload.filename or "", upload.read()
        )


@blp.route("/imports/templates/<any(plots, harvests):kind>.<any(csv, xlsx):fmt>")
class ImportTemplate(MethodView):
    @blp.response(200, content_type="application/octet-stream")
    def get(self, kind, fmt):
        """The empty template of a sheet (public)"""
        content, mimetype, name = import_service.template_file(kind, fmt)
        return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})
