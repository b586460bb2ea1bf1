"""The JSON API's blueprints: the ``Blueprint`` every resource is declared on (``@blp.authenticated``,
multipart forms) and ``register_api_blueprints``, the one way a domain puts its resources under ``/api/v1``."""

from __future__ import annotations

import flask_smorest
from flask import Flask
from werkzeug.datastructures import CombinedMultiDict

from core.extensions import api, csrf
from core.request_bodies import JsonBodyParser
from core.security import BEARER, auth_required

API_PREFIX = "/api/v1"


class Blueprint(flask_smorest.Blueprint):
    """A smorest blueprint of our API.

    ``@blp.authenticated`` refuses a call without a valid bearer token (401 problem JSON) and documents the
    ``bearerAuth`` security of the operation: one decorator, so the document cannot say what the code does not do.
    """

    # JSON bodies are loaded by core.request_bodies (depth, number and NaN limits), as problem JSON when refused.
    ARGUMENTS_PARSER = JsonBodyParser()

    def authenticated(self, view):
        return self.doc(security=BEARER)(auth_required(view))


class _MultipartParser(JsonBodyParser):
    """Reads a multipart form's fields and files as one set of arguments."""

    def load_form(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class MultipartBlueprint(Blueprint):
    """A blueprint whose ``location="form"`` arguments include the uploaded files (photos, sheets)."""

    # Its own parser: the shared default one must keep plain form parsing for other blueprints.
    ARGUMENTS_PARSER = _MultipartParser()


def register_api_blueprints(app: Flask, *blueprints: flask_smorest.Blueprint) -> None:
    """Serve ``blueprints`` under ``/api/v1`` and in the OpenAPI document of ``app``."""
    for blueprint in blueprints:
        # The JSON API authenticates with bearer tokens, never cookies, so CSRF does not apply to it.
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint, url_prefix=API_PREFIX)
