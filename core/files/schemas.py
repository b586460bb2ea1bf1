"""Marshmallow schemas of the photo upload API."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields
from werkzeug.datastructures import FileStorage

from core.files.services import public_url


class FileUpload(Upload):
    """A multipart file part; a plain text field of the same name is refused.

    The refusal names what to send: ``error_messages={"not_a_file": "Send the sheet as ..."}``.
    """

    default_error_messages = {"not_a_file": "Send the file as a file part of a multipart/form-data request."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, FileStorage):
            raise self.make_error("not_a_file")
        return value


class PhotoUploadSchema(Schema):
    file = FileUpload(
        required=True,
        error_messages={"not_a_file": "Send the photo as a file part of a multipart/form-data request."},
        metadata={"description": "A JPEG, PNG or WebP photo (checked by its content)."},
    )
    organization_id = fields.Integer(required=True, metadata={"description": "The organization the photo belongs to."})


class PhotoSchema(Schema):
    id = fields.String(attribute="public_id", metadata={"description": "The photo's public code."})
    url = fields.Method("full_url", metadata={"description": "The cleaned photo (EXIF removed), at most 2560 px."})
    thumbnail_url = fields.Method("thumb_url", metadata={"description": "A thumbnail of at most 480 px."})
    width = fields.Integer()
    height = fields.Integer()
    content_type = fields.String()

    def full_url(self, stored) -> str:
        return public_url(stored)

    def thumb_url(self, stored) -> str:
        return public_url(stored, thumbnail=True)
