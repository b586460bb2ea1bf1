"""The installable web app: a manifest a phone can install from, and a service worker for the whole site."""

from __future__ import annotations

import json
from io import BytesIO

from PIL import Image


def test_every_page_links_the_manifest_and_the_offline_script(client):
    for path in ("/", "/market", "/sign-in", "/no-such-page"):
        page = client.get(path).get_data(as_text=True)
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page, path
        assert "/static/js/offline.js" in page, path


def test_the_manifest_names_the_app_in_vietnamese_with_installable_icons(client):
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200 and answer.mimetype == "application/manifest+json"
    manifest = json.loads(answer.get_data(as_text=True))
    assert manifest["name"] == "Nông sản Đồng Nai" and manifest["lang"] == "vi"
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    sizes = set()
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        data = image.get_data()
        image.close()
        assert image.status_code == 200, icon["src"]
        if icon["type"] == "image/png":
            width, height = Image.open(BytesIO(data)).size
            assert f"{width}x{height}" == icon["sizes"]
            sizes.add(width)
    assert {192, 512} <= sizes


def test_the_service_worker_covers_the_whole_site_and_is_never_stale(client):
    answer = client.get("/sw.js")
    assert answer.status_code == 200 and answer.mimetype == "text/javascript"
    assert answer.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in answer.headers["Cache-Control"]


def test_the_offline_page_is_in_vietnamese(client):
    page = client.get("/offline", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert "Không có kết nối" in page and 'href="/batches"' in page


def test_the_queue_panel_and_its_texts_are_only_for_signed_in_people(client):
    page = client.get("/").get_data(as_text=True)
    assert 'id="offline-queue"' not in page and "data-user=" not in page
