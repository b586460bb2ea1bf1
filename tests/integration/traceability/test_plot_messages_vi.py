"""A plot refusal that carries a number reads in Vietnamese on a page and by its code in the API."""

from __future__ import annotations

import json

import pytest

from core.accounts.models import OrganizationKind
from tests.builders import make_org, make_token, make_user
from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.traceability_builders import COMMUNE, seeded
from traceability.geometry import MAX_POSITIONS

# One ring with a position more than a geometry may have: refused before any shape is checked.
TOO_LONG_RING = {"type": "Polygon", "coordinates": [[[0, 0]] * (MAX_POSITIONS + 1)]}


@pytest.fixture
def farm(app):
    def build():
        farmer = make_user(phone="+84913100001", name="Nguyễn Thị Hà")
        household = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Nguyễn Thị Hà", owner=farmer, commune_code=COMMUNE)
        return {"id": household.id, "token": make_token(farmer)}

    return seeded(app, build)


def test_a_vietnamese_page_says_the_limit_with_vietnamese_digit_grouping(client, farm):
    sign_in(client, "0913100001")
    client.set_cookie("lang", "vi", domain="localhost")
    response = client.post(
        "/plots/new",
        data={
            "csrf_token": csrf_token(client, "/plots/new"),
            "name": "Lô điều sau nhà",
            "address-province_code": "75",
            "address-commune_code": COMMUNE,
            "area_ha": "2,5",
            "geometry": json.dumps(TOO_LONG_RING, separators=(",", ":")),
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Hình học có hơn 20.000 điểm." in page
    assert "more than 20000 positions" not in page


def test_the_api_keeps_the_english_text_and_names_the_refusal_by_code(client, farm):
    response = client.post(
        "/api/v1/plots",
        json={
            "organization_id": farm["id"],
            "name": "Lô điều sau nhà",
            "commune_code": COMMUNE,
            "area_ha": "2.5",
            "geometry": TOO_LONG_RING,
        },
        headers={"Authorization": f"Bearer {farm['token']}", "Accept-Language": "vi"},
    )
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["code"] == "plot_invalid"
    assert problem["detail"] == "Some plot fields are not valid; see errors."
    assert problem["errors"] == {"geometry": ["The geometry has more than 20000 positions."]}
