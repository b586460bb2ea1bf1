"""The flask-smorest ``Blueprint`` every API resource registers on: ``@blp.authenticated`` and multipart forms."""

from __future__ import annotations

import flask_smorest
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from core.security import BEARER, auth_required


class Blueprint(flask_smorest.Blueprint):
    """A smorest blueprint of our API.

    ``@blp.authenticated`` refuses a call without a valid bearer token (401 problem JSON) and documents the
    ``bearerAuth`` security of the operation: one decorator, so the document cannot say what the code does not do.
    """

    def authenticated(self, view):
        return self.doc(security=BEARER)(auth_required(view))


class _MultipartParser(FlaskParser):
    """Reads a multipart form's fields and files as one set of arguments."""

    def load_form(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class MultipartBlueprint(Blueprint):
    """A blueprint whose ``location="form"`` arguments include the uploaded files (photos, sheets)."""

    # Its own parser: the shared default one must keep plain form parsing for other blueprints.
    ARGUMENTS_PARSER = _MultipartParser()
