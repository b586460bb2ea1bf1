"""Static files: versioned URLs cached for a year, a short cache otherwise, and compressed text responses."""

from __future__ import annotations

import gzip
import hashlib
import re

import brotli
from flask import url_for

from core.app import ROOT
from core.static_files import LONG_CACHE, SHORT_CACHE

CSS = (ROOT / "static" / "site.css").read_bytes()
CSS_VERSION = hashlib.sha256(CSS).hexdigest()[:12]


def test_url_for_static_carries_the_files_content_hash(app):
    with app.test_request_context():
        assert url_for("static", filename="site.css") == f"/static/site.css?v={CSS_VERSION}"
        assert url_for("static", filename="no-such-file.css") == "/static/no-such-file.css"  # nothing to hash


def test_every_page_links_the_versioned_files_without_template_edits(client):
    html = client.get("/").get_data(as_text=True)
    assert f'href="/static/site.css?v={CSS_VERSION}"' in html
    assert re.search(r'href="/static/favicon.svg\?v=[0-9a-f]{12}"', html)


def test_the_current_version_is_cached_for_a_year_anything_else_briefly(client):
    current = client.get(f"/static/site.css?v={CSS_VERSION}")
    assert current.status_code == 200 and current.data == CSS
    assert current.headers["Cache-Control"] == LONG_CACHE == "public, max-age=31536000, immutable"
    for stale in ("/static/site.css?v=0123456789ab", "/static/site.css"):
        response = client.get(stale)
        assert response.status_code == 200 and response.headers["Cache-Control"] == SHORT_CACHE
    assert client.get("/static/../core/config.py").status_code == 404


def test_a_revalidated_static_file_answers_304(client):
    first = client.get("/static/site.css")
    again = client.get("/static/site.css", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == SHORT_CACHE


def test_text_is_compressed_with_what_the_browser_accepts(client):
    for encoding, decode in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        response = client.get(f"/static/site.css?v={CSS_VERSION}", headers={"Accept-Encoding": encoding})
        assert response.headers["Content-Encoding"] == encoding
        assert decode(response.data) == CSS and len(response.data) < len(CSS) / 2
        assert "Accept-Encoding" in response.headers["Vary"]
        assert response.headers["Cache-Control"] == LONG_CACHE
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(page.data)
    assert "Content-Encoding" not in client.get("/").headers  # a client that accepts nothing gets it plain


def test_a_compressed_static_file_still_revalidates(client):
    first = client.get("/static/site.css", headers={"Accept-Encoding": "br"})
    again = client.get("/static/site.css", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
