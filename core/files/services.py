"""Keeping uploaded photos: check who may, clean the image, store it, record it (one commit)."""

from __future__ import annotations

import secrets
import uuid

from flask import current_app, url_for
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from core.accounts.models import User
from core.accounts.permissions import require_act_for
from core.errors import NotFound
from core.extensions import db
from core.files import messages
from core.files.images import DEFAULT_MAX_PIXELS, prepare_image, read_upload
from core.files.models import StoredFile
from core.storage import ObjectNotFound, StoredObject, get_storage


def _new_public_id() -> str:
    return secrets.token_urlsafe(9)  # 12 URL-safe characters, 72 random bits


def store_image(actor: User | None, organization_id: int, file_storage: FileStorage) -> StoredFile:
    """Check, clean and keep a photo for ``organization_id``; refused unless ``actor`` may act for it.

    The photo and its thumbnail are written to storage before the row is committed;
    if anything fails after that, both objects are removed again.
    """
    require_act_for(actor, organization_id)
    max_bytes = current_app.config["IMAGE_MAX_BYTES"]
    data = read_upload(file_storage.stream, max_bytes)
    image = prepare_image(
        data, max_bytes=max_bytes, max_pixels=current_app.config.get("IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    )

    # Random keys: the user's file name never reaches storage or a URL.
    name = uuid.uuid4().hex
    key = f"images/{name[:2]}/{name}.{image.extension}"
    thumbnail_key = f"images/{name[:2]}/{name}-thumb.{image.extension}"
    storage = get_storage()
    written: list[str] = []
    try:
        for object_key, body in ((key, image.data), (thumbnail_key, image.thumbnail)):
            storage.put(object_key, body, image.content_type)
            written.append(object_key)
        stored = StoredFile(
            public_id=_new_public_id(),
            key=key,
            thumbnail_key=thumbnail_key,
            content_type=image.content_type,
            size=len(image.data),
            width=image.width,
            height=image.height,
            organization_id=organization_id,
            uploaded_by_id=actor.id,
        )
        db.session.add(stored)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for object_key in written:
            try:
                storage.delete(object_key)
            except Exception:  # the original failure matters more than a leftover object
                current_app.logger.exception("could not remove stored object %s after a failed upload", object_key)
        raise
    return stored


def get_public_file(public_id: str) -> StoredFile:
    """A stored photo by its public code. Photos are public, so anyone may look one up."""
    stored = db.session.execute(select(StoredFile).where(StoredFile.public_id == public_id)).scalar_one_or_none()
    if stored is None:
        raise NotFound(messages.FILE_NOT_FOUND)
    return stored


def open_public_file(public_id: str, *, thumbnail: bool = False) -> tuple[StoredFile, StoredObject]:
    """The photo (or its thumbnail) and its stored object, open for streaming."""
    stored = get_public_file(public_id)
    try:
        return stored, get_storage().open(stored.thumbnail_key if thumbnail else stored.key)
    except ObjectNotFound:
        current_app.logger.error("stored file %s has no object in storage", stored.public_id)
        raise NotFound(messages.FILE_NOT_FOUND) from None


def public_url(stored: StoredFile, *, thumbnail: bool = False) -> str:
    """The absolute address where anyone can fetch the photo."""
    endpoint = "files.thumbnail" if thumbnail else "files.original"
    return current_app.config["PUBLIC_BASE_URL"] + url_for(endpoint, public_id=stored.public_id)
