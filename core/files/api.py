"""JSON API for photo uploads."""

from __future__ import annotations

from flask.views import MethodView

from core.api import MultipartBlueprint
from core.files.schemas import PhotoSchema, PhotoUploadSchema
from core.files.services import store_image
from core.security import current_actor

blp = MultipartBlueprint("files_api", __name__, description="Photo uploads")


@blp.route("/photos")
class Photos(MethodView):
    @blp.authenticated
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
