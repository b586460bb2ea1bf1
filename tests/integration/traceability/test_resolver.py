"""The GS1 Digital Link resolver: 307 to the trace page, link types, RFC 9264 linksets, 400/404, and its description."""

from __future__ import annotations

import pytest

from tests.traceability_builders import BatchWorld

GTIN = "08930000000019"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "Accept-Language": "en"}


@pytest.fixture
def world(app):
    return BatchWorld(app)


@pytest.fixture
def lot(world):
    return world.harvest("an", gtin=GTIN, lot_number="HTX/2026-01")


def test_a_lot_redirects_307_to_its_trace_page(client, lot):
    response = client.get(f"/01/{GTIN}/10/HTX%2F2026-01")
    assert response.status_code == 307
    assert response.location == f"http://localhost/t/{lot}"
    assert (
        response.headers["Link"] == f'<http://localhost/01/{GTIN}/10/HTX%2F2026-01?linkType=linkset>; rel="linkset"; '
        'type="application/linkset+json"'
    )


def test_qualifiers_data_attributes_and_short_gtins_resolve_to_the_same_lot(client, lot):
    for url in (f"/01/{GTIN}/10/HTX%2F2026-01/21/0042?7007=260115&3103=080000", "/01/8930000000019/10/HTX%2F2026-01"):
        response = client.get(url)
        assert response.status_code == 307 and response.location == f"http://localhost/t/{lot}", url


def test_a_lot_without_lot_number_resolves_by_its_code(client, world):
    code = world.harvest("binh", gtin=GTIN)
    assert client.get(f"/01/{GTIN}/10/{code}").location == f"http://localhost/t/{code}"


@pytest.mark.parametrize(
    ("link_type", "suffix"),
    [
        ("gs1:traceability", ""),
        ("https://gs1.org/voc/traceability", ""),
        ("gs1:pip", ""),
        ("gs1:defaultLink", ""),
        ("gs1:certificationInfo", "#certificates"),
        ("https://gs1.org/voc/certificationInfo", "#certificates"),
        ("gs1:recallStatus", "#recall"),
    ],
)
def test_served_link_types_lead_to_the_trace_page(client, lot, link_type, suffix):
    response = client.get(f"/01/{GTIN}/10/HTX%2F2026-01", query_string={"linkType": link_type})
    assert response.status_code == 307
    assert response.location == f"http://localhost/t/{lot}{suffix}"


def test_the_linkset_lists_every_served_link_type(client, lot):
    by_param = client.get(f"/01/{GTIN}/10/HTX%2F2026-01?linkType=linkset")
    by_accept = client.get(f"/01/{GTIN}/10/HTX%2F2026-01", headers={"Accept": "application/linkset+json"})
    for response in (by_param, by_accept):
        assert response.status_code == 200
        assert response.mimetype == "application/linkset+json"
        assert "Accept" in response.vary
    (entry,) = by_param.json["linkset"]
    assert by_accept.json == by_param.json
    assert entry["anchor"] == f"http://localhost/01/{GTIN}/10/HTX%2F2026-01"
    page = f"http://localhost/t/{lot}"
    (traceability,) = entry["https://gs1.org/voc/traceability"]
    assert (
        traceability["href"] == page
        and traceability["type"] == "text/html"
        and traceability["hreflang"] == ["vi", "en"]
    )
    assert traceability["title"]
    assert entry["https://gs1.org/voc/defaultLink"][0]["href"] == page
    assert entry["https://gs1.org/voc/pip"][0]["href"] == page
    assert entry["https://gs1.org/voc/certificationInfo"][0]["href"] == page + "#certificates"


@pytest.mark.parametrize("url", [f"/01/{GTIN}/10/NOSUCHLOT", "/01/08930000000026/10/HTX%2F2026-01", f"/01/{GTIN}"])
def test_an_unknown_gtin_or_lot_is_404_problem_json(client, lot, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json" and response.json["status"] == 404


def test_an_unknown_link_type_is_404(client, lot):
    for link_type in ("gs1:smpc", "gs1:nothing", "https://example.com/voc/traceability"):
        response = client.get(f"/01/{GTIN}/10/HTX%2F2026-01", query_string={"linkType": link_type})
        assert response.status_code == 404, link_type


def test_a_wrong_check_digit_is_400_naming_the_expected_digit(client, lot):
    response = client.get("/01/08930000000018/10/HTX%2F2026-01")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert response.json["errors"]["gtin"] == ["The GTIN check digit is wrong: the last digit should be 9."]


@pytest.mark.parametrize(
    "url",
    [
        f"/01/{GTIN}/21/5/10/L1",
        f"/01/{GTIN}/10",
        "/01/12345/10/L1",
        f"/01/{GTIN}/10/L%C3%94",
        f"/01/{GTIN}/10/L1?7007=261399",
    ],
)
def test_bad_syntax_is_400(client, url):
    assert client.get(url).status_code == 400


def test_a_browser_gets_friendly_pages_with_the_same_statuses(client, lot):
    missing = client.get(f"/01/{GTIN}/10/NOSUCHLOT", headers=BROWSER)
    assert missing.status_code == 404 and missing.mimetype == "text/html"
    assert "We could not find this product lot." in missing.get_data(as_text=True)
    bad = client.get("/01/08930000000018/10/L1", headers=BROWSER)
    assert bad.status_code == 400 and "not a valid product code" in bad.get_data(as_text=True)
    assert client.get(f"/01/{GTIN}/10/HTX%2F2026-01", headers=BROWSER).status_code == 307  # and browsers are redirected


def test_the_resolver_describes_itself(client):
    response = client.get("/.well-known/gs1resolver")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.json
    assert body["resolverRoot"] == "http://localhost"
    assert body["name"]
    assert body["supportedPrimaryKeys"] == ["01"]
    assert body["supportedLinkType"] == [{"namespace": "https://gs1.org/voc/", "prefix": "gs1:"}]
    assert body["linkTypeDefaultCanBeLinkset"] is False
    assert set(body["linkTypes"]) == {
        "gs1:defaultLink",
        "gs1:traceability",
        "gs1:pip",
        "gs1:certificationInfo",
        "gs1:recallStatus",
    }
