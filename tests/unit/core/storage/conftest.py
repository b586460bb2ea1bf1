from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.core.storage.s3server import running_moto_server


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with running_moto_server() as endpoint:
        yield endpoint
