"""How the trace page travels: compressed, still answered 304 when the browser's copy is current."""

from __future__ import annotations

import gzip

import brotli
import pytest

from tests.trace_page_builders import build_story
from tests.traceability_builders import seeded


@pytest.fixture
def story(app):
    return seeded(app, build_story)


@pytest.mark.parametrize(("encoding", "decode"), [("gzip", gzip.decompress), ("br", brotli.decompress)])
def test_the_trace_page_is_compressed_and_its_weak_etag_still_gets_304(client, story, encoding, decode):
    url = f"/t/{story['kernels']}"
    plain = client.get(url, headers={"Accept-Language": "en"})
    first = client.get(url, headers={"Accept-Language": "en", "Accept-Encoding": encoding})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == encoding
    assert decode(first.data) == plain.data and len(first.data) < len(plain.data) / 3
    etag = first.headers["ETag"]
    assert etag.startswith('W/"') and etag == plain.headers["ETag"]  # weak: the same whatever the encoding
    assert {"Accept-Encoding", "Accept-Language", "Cookie"} <= set(first.vary)
    again = client.get(url, headers={"Accept-Language": "en", "Accept-Encoding": encoding, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and "Content-Encoding" not in again.headers
    for response in (plain, first, again):
        response.close()
