"""The storage contract every backend keeps, and the key rules they share."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol

# Keys are paths of plain segments: no leading slash, no "." or ".." and nothing that
# starts with a dot (the local backend keeps its metadata under ".meta"), no backslash.
_KEY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*")
MAX_KEY_LENGTH = 512
CHUNK_SIZE = 64 * 1024


class StorageError(Exception):
    """A storage operation failed."""


class InvalidKey(StorageError, ValueError):
    """The key could escape the storage root or is not a plain path."""


class ObjectNotFound(StorageError, KeyError):
    """No object is stored under the key."""


def check_key(key: str) -> str:
    if not isinstance(key, str) or len(key) > MAX_KEY_LENGTH or not _KEY_RE.fullmatch(key) or ".." in key.split("/"):
        raise InvalidKey(f"not a valid storage key: {key!r}")
    return key


@dataclass
class StoredObject:
    """An open stored object: read it whole, or stream it in chunks (closing it at the end)."""

    stream: BinaryIO
    size: int | None
    content_type: str

    def read(self) -> bytes:
        with self:
            return self.stream.read()

    def chunks(self, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
        try:
            while chunk := self.stream.read(chunk_size):
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        self.stream.close()

    def __enter__(self) -> StoredObject:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class Storage(Protocol):
    """Where uploaded files live. Keys are chosen by the caller and checked with ``check_key``."""

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key``, replacing what was there."""

    def put_file(self, key: str, stream: BinaryIO, content_type: str) -> None:
        """Store what is left to read of the binary file ``stream`` under ``key``, without reading it whole."""

    def get(self, key: str) -> bytes:
        """The bytes under ``key``; ``ObjectNotFound`` if there are none."""

    def open(self, key: str) -> StoredObject:
        """The object under ``key`` for streaming; ``ObjectNotFound`` if there is none."""

    def exists(self, key: str) -> bool:
        """Whether an object is stored under ``key``."""

    def delete(self, key: str) -> None:
        """Remove the object under ``key``; removing a missing object is not an error."""
