"""Static files that browsers keep for a year, and compressed responses.

``url_for('static', filename=...)`` gains ``?v=<hash of the file's content>`` (an ``url_defaults`` hook, so every
template benefits without an edit). A request whose ``v`` is the file's current hash is answered with
``Cache-Control: public, max-age=31536000, immutable``: a new file has a new hash, hence a new URL, so a year is
safe. Any other request (no ``v``, an old one) gets a short, revalidated cache.

Responses are compressed by the app (Flask-Compress: zstd, br, gzip or deflate, as the browser accepts) for the
text types below; the README's deployment section says why the app and not the proxy. A weak ETag (the trace page's)
survives compression unchanged, a strong one gets the encoding appended, and conditional requests are evaluated
after compression, so 304 answers keep working.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable

from flask import Flask, Response, current_app, request
from flask_compress import Compress
from werkzeug.security import safe_join

LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300, must-revalidate"
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "image/svg+xml",
]
VERSION_LENGTH = 12

compress = Compress()


class StaticVersions:
    """Content hashes of the static folder's files, computed once per file and again only when a file changes."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._known: dict[str, tuple[int, int, str]] = {}

    def version(self, filename: str) -> str | None:
        path = safe_join(self.folder, filename)
        try:
            stat = os.stat(path) if path else None
        except (OSError, ValueError):
            stat = None
        if stat is None or not os.path.isfile(path):
            return None
        known = self._known.get(filename)
        if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
            return known[2]
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()[:VERSION_LENGTH]
        self._known[filename] = (stat.st_mtime_ns, stat.st_size, digest)
        return digest


def _read_whole(response: Response) -> None:
    """Read a (small) static file into memory and close it: compressed whole (gzip too), never streamed; a 304
    keeps no file open."""
    body = response.response
    response.direct_passthrough = False
    if response.status_code == 304:
        response.response = []
        response.headers.pop("Content-Length", None)
    else:
        response.set_data(b"".join(body))
    if hasattr(body, "close"):
        body.close()


def _versioned_view(view: Callable[..., Response], versions: StaticVersions) -> Callable[..., Response]:
    @functools.wraps(view)
    def static(filename: str) -> Response:
        response = view(filename=filename)
        if response.status_code in (200, 304):
            given = request.args.get("v")
            current = versions.version(filename)
            response.headers["Cache-Control"] = LONG_CACHE if given and given == current else SHORT_CACHE
        if response.status_code == 304 or response.mimetype in COMPRESSED_TYPES:
            _read_whole(response)
        return response

    return static


_FINGERPRINT = "nongsan.static_fingerprint"


def _fingerprint(folder: str, versions: StaticVersions) -> str:
    """One hash of every static file's version, taken when the app starts (a deploy starts new processes)."""
    digest = hashlib.sha256()
    for root, _dirs, files in sorted(os.walk(folder)):
        for name in sorted(files):
            relative = os.path.relpath(os.path.join(root, name), folder)
            digest.update(f"{relative}={versions.version(relative)};".encode())
    return digest.hexdigest()[:VERSION_LENGTH]


def static_fingerprint() -> str:
    """The static files' version, for the ETag of a page that names them: a page cached before a deploy must not
    keep pointing at the old stylesheet and scripts once the files changed."""
    return fingerprint_of(current_app)


def fingerprint_of(app: Flask) -> str:
    """``static_fingerprint`` of ``app``, outside a request (the trace page's replay answers before Flask)."""
    return app.extensions.get(_FINGERPRINT, "")


def init_static_files(app: Flask) -> None:
    """Version the app's static URLs, cache them accordingly and compress text responses."""
    if app.static_folder and "static" in app.view_functions:
        versions = StaticVersions(app.static_folder)

        def add_version(endpoint: str, values: dict) -> None:
            if endpoint == "static" and "filename" in values and "v" not in values:
                version = versions.version(values["filename"])
                if version:
                    values["v"] = version

        app.url_defaults(add_version)
        app.view_functions["static"] = _versioned_view(app.view_functions["static"], versions)
        app.extensions[_FINGERPRINT] = _fingerprint(app.static_folder, versions)
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    compress.init_app(app)

    # Registered after Flask-Compress, so it runs before it. Other blueprints' files (the API docs' Swagger UI
    # bundle) are sent in chunks too, and Flask-Compress's streaming path never closes the file it read: each
    # such answer leaked a descriptor. Read whole like our own static files.
    @app.after_request
    def _read_files_whole(response: Response) -> Response:
        if response.direct_passthrough and response.status_code in (200, 304) and response.mimetype in COMPRESSED_TYPES:
            _read_whole(response)
        return response
