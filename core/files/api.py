"""JSON API for photo uploads."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from core.files.schemas import PhotoSchema, PhotoUploadSchema
from core.files.services import store_image
from core.security import BEARER, auth_required, current_actor


class _MultipartParser(FlaskParser):
    """Reads a multipart form's fields and files as one set of arguments."""

    def load_form(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class _MultipartBlueprint(Blueprint):
    # Its own parser: the shared default one must keep plain form parsing for other blueprints.
    ARGUMENTS_PARSER = _MultipartParser()


blp = _MultipartBlueprint("files_api", __name__, description="Photo uploads")


@blp.route("/photos")
class Photos(MethodView):
    @auth_required
    @blp.doc(security=BEARER)
    @blp.arguments(PhotoUploadSchema, location="form", content_type="multipart/form-data")
    @blp.response(201, PhotoSchema)
    @blp.alt_response(401, description="No valid bearer token")
    @blp.alt_response(404, description="The caller may not act for this organization, or it does not exist")
    @blp.alt_response(413, description="The request body is larger than the upload limit")
    def post(self, args):
        """Upload a photo for an organization

        The photo is checked by its content (JPEG, PNG or WebP only), turned upright,
        re-encoded without EXIF/GPS metadata and given a thumbnail. Both are public.
        """
        return store_image(current_actor(), args["organization_id"], args["file"])
