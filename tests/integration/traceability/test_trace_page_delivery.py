"""How the trace page travels: compressed, still answered 304 when the browser's copy is current."""

from __future__ import annotations

import gzip
import json
import re

import brotli
import pytest

from core.app import ROOT
from tests.trace_page_builders import COOP_POINT, COOP_POLYGON_CORNER, build_coop_plots, build_story
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


def map_data(html: str) -> dict | None:
    found = re.search(r'<script type="application/json" id="plot-map-data">(.*?)</script>', html, re.S)
    return json.loads(found.group(1)) if found else None


def test_an_organizations_plots_go_to_the_map_rounded_to_about_100_m(app, client):
    code = seeded(app, build_coop_plots)
    html = client.get(f"/t/{code}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    data = map_data(html)
    assert data["tiles"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert data["credit"] == "© OpenStreetMap contributors"
    assert data["creditUrl"] == "https://www.openstreetmap.org/copyright"
    shapes = sorted(data["shapes"], key=lambda shape: shape["type"])
    assert shapes[0]["type"] == "MultiPolygon" and shapes[1] == {"type": "Point", "coordinates": [106.921, 11.462]}
    lng, lat = COOP_POLYGON_CORNER
    assert shapes[0]["coordinates"][0][0][0] == [round(lng, 3), round(lat, 3)]
    assert f"{lng:.4f}" not in html and f"{COOP_POINT[0]:.4f}" not in html  # never finer than about 100 m
    script = re.search(r'<script src="(/static/js/trace-map.js\?v=[0-9a-f]{12})" defer></script>', html)
    assert script, "the map's script, versioned"
    assert 'id="plot-map"' in html and re.search(r'<svg viewBox="0 0 100 100"[^>]*><path d="M', html)  # the fallback
    assert not re.search(r"<script>|<script[^>]*>\s*[^<\s]", html.replace(map_data_tag(html), ""))  # no inline code
    assert " on" + "load=" not in html and " onerror=" not in html


def map_data_tag(html: str) -> str:
    return re.search(r'<script type="application/json" id="plot-map-data">.*?</script>', html, re.S).group(0)


def test_a_households_plots_stay_off_the_map(client, story):
    html = client.get(f"/t/{story['kernels']}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert map_data(html) is None and "trace-map.js" not in html and 'id="plot-map"' not in html


def test_no_tile_server_no_map(make_app, app):
    code = seeded(app, build_coop_plots)
    plain = make_app(MAP_TILE_URL="")
    html = plain.test_client().get(f"/t/{code}").get_data(as_text=True)
    assert map_data(html) is None and "trace-map.js" not in html


def test_the_page_with_its_css_and_javascript_stays_under_60_kb_and_all_javascript_under_100_kb(app, client):
    code = seeded(app, build_coop_plots)
    html = client.get(f"/t/{code}").data
    sizes = {"page": len(html)}
    # Everything a first visit fetches but the map tiles: styles, scripts, icons, the manifest, and the service
    # worker that offline.js registers (uncompressed, so the budget holds without Flask-Compress too).
    assets = re.findall(rb'(?:src|href)="(/static/[^"]+|/manifest\.webmanifest)"', html)
    for url in [*(a.decode() for a in assets), "/sw.js"]:
        asset = client.get(url)
        assert asset.status_code == 200, url
        sizes[url] = len(asset.data)
        asset.close()
    assert "/sw.js" in sizes and any("offline.js" in url for url in sizes), sizes
    assert sum(sizes.values()) < 60 * 1024, sizes
    # Every script under static/, whoever loads it (the service worker static/js/sw.js included).
    scripts = {str(path.relative_to(ROOT)): path.stat().st_size for path in (ROOT / "static").rglob("*.js")}
    assert "static/js/sw.js" in scripts and "static/js/offline.js" in scripts, scripts
    assert sum(scripts.values()) < 100 * 1024, scripts
    assert scripts["static/js/trace-map.js"] < 8 * 1024


def test_a_deploy_with_new_static_files_gives_the_trace_page_a_new_etag(app, client, story):
    url = f"/t/{story['kernels']}"
    before = client.get(url, headers={"Accept-Language": "en"})
    app.extensions["nongsan.static_fingerprint"] = (
        "0123456789ab"  # what a release with a changed stylesheet starts with
    )
    after = client.get(url, headers={"Accept-Language": "en", "If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200  # not 304: the cached copy names the old stylesheet
    assert after.headers["ETag"] != before.headers["ETag"]
