"""The plot form takes the plot's commune with the address picker, old addresses included."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core.accounts.models import OrganizationKind
from core.extensions import db
from tests.builders import make_org, make_user
from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.traceability_builders import COMMUNE, make_plot, seeded
from traceability.models import Plot

OLD_LOC_THAI = "xã Lộc Thái, huyện Lộc Ninh, Bình Phước"
DONG_PHU = "25363"  # Xã Đồng Phú, Đồng Nai: the first of the communes that were once a "xã Tân Lập"


@pytest.fixture
def household(app):
    def build():
        farm = make_org(
            OrganizationKind.HOUSEHOLD,
            name="Hộ Lê Văn Cúc",
            owner=make_user(phone="+84913000002"),
            commune_code="25222",
        )
        return make_plot(farm, name="Lô điều cũ", commune_code="25222").id

    return seeded(app, build)


def address(province_code="75", commune_code="", street="", old_address="", **more):
    fields = {
        "province_code": province_code,
        "commune_code": commune_code,
        "street": street,
        "old_address": old_address,
        **more,
    }
    return {f"address-{key}": value for key, value in fields.items()}


def post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def plots(app):
    return seeded(
        app, lambda: [(p.name, p.commune_code, p.street) for p in db.session.scalars(select(Plot).order_by(Plot.id))]
    )


def test_a_new_plot_starts_at_the_households_commune(client, household):
    sign_in(client, "0913000002")
    html = client.get("/plots/new").get_data(as_text=True)
    assert '<option value="25222" selected>Xã Bù Gia Mập</option>' in html
    assert 'name="address-old_address"' in html


def test_a_plot_with_an_old_address_gets_the_new_commune_and_shows_it_in_full(app, client, household):
    sign_in(client, "0913000002")
    response = post(
        client,
        "/plots/new",
        name="Lô tiêu",
        area_ha="1,5",
        crops="pepper",
        **address(commune_code="25222", street="Ấp 3", old_address=OLD_LOC_THAI),
    )
    assert response.status_code == 303
    assert plots(app)[-1] == ("Lô tiêu", COMMUNE, "Ấp 3")
    assert "Ấp 3, Xã Lộc Ninh, Tỉnh Đồng Nai" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_ambiguous_old_address_lists_candidates_with_the_other_problems_and_saves_after_the_choice(
    app, client, household
):
    sign_in(client, "0913000002")
    client.set_cookie("lang", "en", domain="localhost")
    asked = post(
        client, "/plots/new", name="Lô điều mới", area_ha="0", crops="cashew", **address(old_address="xã Tân Lập")
    )
    assert asked.status_code == 422
    html = asked.get_data(as_text=True)
    radios = re.findall(r'<input type="radio"[^>]*name="address-candidate" value="(\d+)"', html)
    assert len(radios) > 1 and radios[0] == DONG_PHU
    assert "Several communes match this old address. Choose yours." in html
    assert "Enter the area in hectares as a number greater than 0." in html  # shown at the same time
    assert 'value="Lô điều mới"' in html
    assert plots(app) == [("Lô điều cũ", "25222", None)]

    chosen = post(
        client,
        "/plots/new",
        name="Lô điều mới",
        area_ha="2",
        crops="cashew",
        **address(old_address="xã Tân Lập", candidate=DONG_PHU),
    )
    assert chosen.status_code == 303
    assert plots(app)[-1] == ("Lô điều mới", DONG_PHU, None)


def test_show_communes_on_the_plot_form_saves_nothing(app, client, household):
    sign_in(client, "0913000002")
    response = post(
        client,
        "/plots/new",
        name="Lô ở Hà Nội",
        area_ha="1",
        **address(province_code="01", commune_code="25222", refresh="1"),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<option value="00070">Phường Hoàn Kiếm</option>' in html and "Xã Bù Gia Mập" not in html
    assert 'value="Lô ở Hà Nội"' in html and 'aria-invalid="true"' not in html
    assert plots(app) == [("Lô điều cũ", "25222", None)]


def test_editing_a_plot_starts_at_its_address_and_takes_an_old_one(app, client, household):
    sign_in(client, "0913000002")
    edit_url = f"/plots/{household}/edit"
    assert '<option value="25222" selected>Xã Bù Gia Mập</option>' in client.get(edit_url).get_data(as_text=True)
    response = post(
        client,
        edit_url,
        name="Lô điều cũ",
        area_ha="1,5",
        **address(commune_code="25222", old_address=f"Thôn 7, {OLD_LOC_THAI}"),
    )
    assert response.status_code == 303
    assert plots(app) == [("Lô điều cũ", COMMUNE, "Thôn 7")]
    assert "Thôn 7, Xã Lộc Ninh, Tỉnh Đồng Nai" in client.get(f"/plots/{household}").get_data(as_text=True)


def test_a_plot_needs_a_commune(app, client, household):
    sign_in(client, "0913000002")
    client.set_cookie("lang", "en", domain="localhost")
    response = post(client, "/plots/new", name="Lô không xã", area_ha="1", **address(street="Ấp 3"))
    assert response.status_code == 422
    assert "Choose a commune or ward of the selected province." in response.get_data(as_text=True)
    assert plots(app) == [("Lô điều cũ", "25222", None)]
