"""File storage behind one small interface: a local folder or an S3-compatible bucket.

``STORAGE_BACKEND`` chooses ("local" or "s3"); ``init_storage`` builds the backend once
at start-up and refuses a configuration it cannot run with, naming the setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app

from core.config import ConfigurationError
from core.storage.base import InvalidKey, ObjectNotFound, Storage, StorageError, StoredObject, check_key
from core.storage.local import LocalStorage
from core.storage.s3 import S3Storage

BACKENDS = ("local", "s3")

__all__ = [
    "BACKENDS",
    "InvalidKey",
    "LocalStorage",
    "ObjectNotFound",
    "S3Storage",
    "Storage",
    "StorageError",
    "StoredObject",
    "build_storage",
    "check_key",
    "get_storage",
    "init_storage",
]


def build_storage(config: Mapping[str, Any]) -> Storage:
    backend = (config.get("STORAGE_BACKEND") or "").strip().lower()
    if backend == "local":
        if not config.get("STORAGE_LOCAL_PATH"):
            raise ConfigurationError("STORAGE_LOCAL_PATH must name a folder when STORAGE_BACKEND=local.")
        return LocalStorage(config["STORAGE_LOCAL_PATH"])
    if backend == "s3":
        if not config.get("STORAGE_S3_BUCKET"):
            raise ConfigurationError("STORAGE_S3_BUCKET must name the bucket when STORAGE_BACKEND=s3.")
        return S3Storage(
            config["STORAGE_S3_BUCKET"],
            endpoint_url=config.get("STORAGE_S3_ENDPOINT_URL"),
            region=config.get("STORAGE_S3_REGION"),
            access_key_id=config.get("STORAGE_S3_ACCESS_KEY_ID"),
            secret_access_key=config.get("STORAGE_S3_SECRET_ACCESS_KEY"),
        )
    raise ConfigurationError(f"STORAGE_BACKEND must be one of {', '.join(BACKENDS)}, not {backend or '(empty)'!r}.")


def init_storage(app: Flask) -> None:
    app.extensions["storage"] = build_storage(app.config)


def get_storage() -> Storage:
    return current_app.extensions["storage"]
