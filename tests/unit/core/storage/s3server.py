"""A local S3-compatible server (moto in server mode) for the S3 backend's tests."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from core.storage import S3Storage

CREDENTIALS = {"access_key_id": "testing", "secret_access_key": "testing", "region": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_moto_server() -> Iterator[str]:
    """Start moto on loopback and yield its endpoint URL."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def new_bucket(endpoint_url: str) -> S3Storage:
    """A fresh, empty bucket on the server, behind the real S3 backend."""
    storage = S3Storage(f"nongsan-{uuid.uuid4().hex[:12]}", endpoint_url=endpoint_url, **CREDENTIALS)
    storage.client.create_bucket(Bucket=storage.bucket)
    return storage
