"""Files in a folder: the embedded default for development, tests and single-server deployments."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from core.storage.base import CHUNK_SIZE, InvalidKey, ObjectNotFound, StoredObject, check_key

# Kept beside the objects; no key can name it, since key segments never start with a dot.
META_DIR = ".meta"
DEFAULT_CONTENT_TYPE = "application/octet-stream"


class LocalStorage:
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root).resolve()

    def _path(self, key: str, *, meta: bool = False) -> Path:
        check_key(key)
        base = self.root / META_DIR if meta else self.root
        path = (base / (key + ".json" if meta else key)).resolve()
        # check_key already refuses "..": this guards against a symlink planted inside the root.
        if not path.is_relative_to(self.root):
            raise InvalidKey(f"storage key escapes the storage folder: {key!r}")
        return path

    @staticmethod
    def _write_atomically(path: Path, data: bytes | BinaryIO) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                if isinstance(data, bytes | bytearray | memoryview):
                    handle.write(data)
                else:
                    shutil.copyfileobj(data, handle, CHUNK_SIZE)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path, meta = self._path(key), self._path(key, meta=True)
        self._write_atomically(meta, json.dumps({"content_type": content_type}).encode())
        self._write_atomically(path, data)

    def put_file(self, key: str, stream: BinaryIO, content_type: str) -> None:
        path, meta = self._path(key), self._path(key, meta=True)
        self._write_atomically(meta, json.dumps({"content_type": content_type}).encode())
        self._write_atomically(path, stream)

    def _content_type(self, key: str) -> str:
        try:
            return json.loads(self._path(key, meta=True).read_bytes())["content_type"]
        except (OSError, ValueError, KeyError):
            return DEFAULT_CONTENT_TYPE

    def open(self, key: str) -> StoredObject:
        path = self._path(key)
        try:
            handle = path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ObjectNotFound(key) from None
        return StoredObject(stream=handle, size=os.fstat(handle.fileno()).st_size, content_type=self._content_type(key))

    def get(self, key: str) -> bytes:
        return self.open(key).read()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
        self._path(key, meta=True).unlink(missing_ok=True)
