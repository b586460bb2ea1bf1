"""Public photos, streamed from storage with long cache lifetimes (their content never changes)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from core.files.services import open_public_file

bp = Blueprint("files", __name__)

# A photo under a public code is never replaced, so caches may keep it for a year.
CACHE_CONTROL = "public, max-age=31536000, immutable"


def immutable(response: Response, etag: str) -> Response:
    """Headers for public content that never changes under its ETag: a year of caching, no sniffing, no script."""
    response.set_etag(etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _serve(public_id: str, *, thumbnail: bool) -> Response:
    etag = f"{public_id}-thumb" if thumbnail else public_id
    if request.if_none_match.contains(etag):
        return immutable(Response(status=304), etag)
    stored, stored_object = open_public_file(public_id, thumbnail=thumbnail)
    response = Response(stored_object.chunks(), mimetype=stored.content_type, direct_passthrough=True)
    response.call_on_close(stored_object.close)
    if stored_object.size is not None:
        response.content_length = stored_object.size
    return immutable(response, etag)


@bp.get("/files/<public_id>")
def original(public_id: str):
    return _serve(public_id, thumbnail=False)


@bp.get("/files/<public_id>/thumb")
def thumbnail(public_id: str):
    return _serve(public_id, thumbnail=True)
