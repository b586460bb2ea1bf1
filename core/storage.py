"""File storage behind one small interface (filled in by the storage work)."""

from flask import Flask


def init_storage(app: Flask) -> None:
    app.extensions["storage"] = None
