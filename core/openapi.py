"""The flask-smorest ``Api`` with RFC 7807 errors, bearer-token security and ``page``/``per_page`` paging."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Api
from flask_smorest import pagination as _pagination

_smorest_pagination_schema = _pagination._pagination_parameters_schema_factory
MAX_PAGE = 1_000_000


def _per_page_pagination_schema(def_page: int, def_page_size: int, def_max_page_size: int) -> type[ma.Schema]:
    """Our API convention names the page size ``per_page`` (smorest says ``page_size``).

    flask-smorest builds its paging schema in this one module-level factory; wrapping it
    renames the query parameter for every paginated endpoint and in the OpenAPI document,
    while views keep reading ``pagination_parameters.page_size``. Pinned flask-smorest
    (0.47.0): tests/integration/core/test_pagination.py fails if an upgrade moves it.
    """
    base = _smorest_pagination_schema(def_page, def_page_size, def_max_page_size)

    class PerPagePaginationSchema(base):
        # Bounded so that the offset always fits the database's integers (an unbounded page was a 500).
        page = ma.fields.Integer(load_default=def_page, validate=ma.validate.Range(min=1, max=MAX_PAGE))
        page_size = ma.fields.Integer(
            data_key="per_page",
            load_default=def_page_size,
            validate=ma.validate.Range(min=1, max=def_max_page_size),
            metadata={"description": f"Items per page (at most {def_max_page_size})."},
        )

    return PerPagePaginationSchema


_pagination._pagination_parameters_schema_factory = _per_page_pagination_schema


class ProblemSchema(ma.Schema):
    """RFC 7807 problem details, as core.errors sends every error under /api."""

    type = ma.fields.String(metadata={"description": "Always about:blank: the status and code say what happened."})
    title = ma.fields.String(metadata={"description": "The HTTP status's name."})
    status = ma.fields.Integer()
    code = ma.fields.String(
        metadata={"description": "Machine-readable and stable (e.g. yield_out_of_band, invalid_fields, not_found)."}
    )
    detail = ma.fields.String(metadata={"description": "What happened, in English."})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Messages per field (dotted paths into the body)."},
    )


class ProblemApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error):
        # Imported here: errors renders templates and needs Flask-Babel, not the reverse.
        from core.errors import handle_http_exception

        return handle_http_exception(error)

    def init_app(self, app, *, spec_kwargs=None):
        super().init_app(app, spec_kwargs=spec_kwargs)
        self.spec.components.security_scheme(
            "bearerAuth",
            {"type": "http", "scheme": "bearer", "description": "A personal API token from POST /api/v1/auth/tokens."},
        )
        self.spec.components.parameter(
            "IdempotencyKey",
            "header",
            {
                "name": "Idempotency-Key",
                "required": False,
                "schema": {"type": "string", "maxLength": 255},
                "description": "Retry-safe creation: a repeat with the same key and body gets the first answer "
                "(with Idempotent-Replayed: true) and creates nothing; the same key with another body is 422.",
            },
        )

    def register_blueprint(self, blp, *, parameters=None, **options):
        """Register as smorest does, then document the Idempotency-Key header on every POST (core.idempotency honours
        it)."""
        super().register_blueprint(blp, parameters=parameters, **options)
        reference = {"$ref": "#/components/parameters/IdempotencyKey"}
        for operations in self.spec._paths.values():  # apispec keeps registered paths here until to_dict()
            post = operations.get("post")
            if post is not None and reference not in post.setdefault("parameters", []):
                post["parameters"].append(reference)
