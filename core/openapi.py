"""The flask-smorest ``Api`` with RFC 7807 errors, bearer-token security and ``page``/``per_page`` paging.

The document says what the server sends: errors as ``application/problem+json``, ``X-Pagination`` as JSON text,
decimals as numbers or text in and text out, and the ``Idempotency-Key`` rule of core.idempotency.
"""

from __future__ import annotations

from http import HTTPStatus

import marshmallow as ma
from flask_smorest import Api
from flask_smorest import pagination as _pagination

from core.errors import PROBLEM_JSON

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


# How core.idempotency reads the header (its _KEY): 1 to 255 visible ASCII characters.
IDEMPOTENCY_KEY_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"}
# A decimal as core.numbers reads API text (parse_decimal with locale API, spaces around it allowed).
DECIMAL_TEXT_PATTERN = r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*$"


class DecimalField(ma.fields.Field):
    """A decimal (a quantity, an area) read as a JSON number or as text with a dot as the decimal mark, answered as
    text so that no float rounds it. The domains' decimal fields derive from it so that the document states both
    (a bare ``fields.Field`` is an empty schema there, under which anything, null too, looks valid). A field that is
    only answered (``dump_only``) is documented as the text it is."""


def _decimal_property(self, field, ret, **kwargs) -> dict:
    """apispec attribute function for ``DecimalField`` (bound to the marshmallow plugin's converter)."""
    if not isinstance(field, DecimalField):
        return {}
    nullable = ret.pop("nullable", False)  # OpenAPI 3.0 reads nullable only beside a type
    text = {"type": "string", "format": "decimal"}
    if field.dump_only:
        return {**text, "nullable": True} if nullable else text
    number = {"type": "number", "nullable": True} if nullable else {"type": "number"}
    return {"oneOf": [number, {"type": "string", "pattern": DECIMAL_TEXT_PATTERN}]}


class ProblemSchema(ma.Schema):
    """RFC 7807 problem details, as core.errors sends every error under /api.

    A problem may carry extension members (RFC 7807 section 3.2) with the parameters of its code, such as an
    import's ``problems`` by row or a conflict's ``max_bytes``: the document allows them (additionalProperties)."""

    class Meta:
        unknown = ma.INCLUDE

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
        self.ma_plugin.converter.add_attribute_function(_decimal_property)
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
                "schema": IDEMPOTENCY_KEY_SCHEMA,
                "description": "Retry-safe creation: a repeat with the same key and body gets the first answer "
                "(with Idempotent-Replayed: true) and creates nothing; the same key with another body is 422. "
                "1 to 255 visible ASCII characters (such as a UUID); any other key is 400 "
                "idempotency_key_invalid.",
            },
        )

    def _register_responses(self):
        """smorest's shared responses (DEFAULT_ERROR, NOT_FOUND, UNPROCESSABLE_ENTITY, ...), with the content type
        core.errors sends them in (smorest says application/json)."""
        for status in HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["content"] = {PROBLEM_JSON: {"schema": self.ERROR_SCHEMA}}
            self.spec.components.response(status.name, response, lazy=True)
        self.spec.components.response(
            self.DEFAULT_ERROR_RESPONSE_NAME,
            {"description": "Default error response", "content": {PROBLEM_JSON: {"schema": self.ERROR_SCHEMA}}},
            lazy=True,
        )

    def _register_pagination_header(self):
        """X-Pagination is the paging metadata serialized as JSON text (smorest documents a bare object, which a
        header cannot carry): OpenAPI says so with ``content``."""
        self.spec.components.header(
            "PAGINATION",
            {
                "description": "Pagination metadata, as JSON text",
                "content": {"application/json": {"schema": _pagination.PaginationMetadataSchema}},
            },
            lazy=True,
        )

    def register_blueprint(self, blp, *, parameters=None, **options):
        """Register as smorest does, then document the Idempotency-Key header on every POST (core.idempotency honours
        it), the 415 of every operation that reads a body (core.request_bodies refuses a body of another type), and
        the problem JSON of every error response that a view described in words only."""
        super().register_blueprint(blp, parameters=parameters, **options)
        reference = {"$ref": "#/components/parameters/IdempotencyKey"}
        problem = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in self.spec._paths.values():  # apispec keeps registered paths here until to_dict()
            post = operations.get("post")
            if post is not None and reference not in post.setdefault("parameters", []):
                post["parameters"].append(reference)
            for name, operation in operations.items():
                if name == "parameters":
                    continue
                if "requestBody" in operation and "415" not in operation.setdefault("responses", {}):
                    operation["responses"]["415"] = self.spec.components.get_ref("response", "UNSUPPORTED_MEDIA_TYPE")
                for status, response in operation.get("responses", {}).items():
                    if (
                        str(status)[0] in "45"
                        and isinstance(response, dict)
                        and not {"content", "$ref"} & response.keys()
                    ):
                        response["content"] = problem
