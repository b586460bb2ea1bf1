"""Plot, certificate and import pages on the phone: forms keep what was typed when they fail."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from core.accounts.models import OrganizationKind
from core.extensions import db
from tests.builders import join_cooperative, make_org, make_user
from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in
from tests.traceability_builders import COMMUNE, make_plot, seeded
from traceability.models import Certificate, Plot


@pytest.fixture
def people(app):
    def build():
        manager = make_user(phone="+84913000001", name="Trần Văn Minh")
        coop = make_org(OrganizationKind.COOPERATIVE, name="HTX Điều Lộc Ninh", owner=manager, commune_code=COMMUNE)
        member = make_org(
            OrganizationKind.HOUSEHOLD,
            name="Hộ Lê Văn Cúc",
            owner=make_user(phone="+84913000002"),
            commune_code=COMMUNE,
        )
        join_cooperative(coop, member)
        other = make_org(
            OrganizationKind.HOUSEHOLD,
            name="Hộ Phạm Văn Bình",
            owner=make_user(phone="+84913000003"),
            commune_code=COMMUNE,
        )
        other_plot = make_plot(other, name="Lô của Bình")
        return {"coop": coop.id, "member": member.id, "other_plot": other_plot.id}

    return seeded(app, build)


# The address picker's fields (core.geo.picker) with the plots' commune, Xã Lộc Ninh.
ADDRESS = {"address-province_code": "75", "address-commune_code": COMMUNE}


def in_english(client):
    """Pages whose English messages a test reads (the Vietnamese catalog is added later)."""
    client.set_cookie("lang", "en", domain="localhost")


def post(client, form_url, action=None, **data):
    return client.post(action or form_url, data={"csrf_token": csrf_token(client, form_url), **data})


def plots(app):
    """The plots registered in the test (the outsider's plot aside)."""
    statement = select(Plot).where(Plot.name != "Lô của Bình").order_by(Plot.id)
    return seeded(
        app, lambda: [(p.name, p.organization_id, p.area_ha, p.geometry) for p in db.session.scalars(statement)]
    )


def test_a_failed_plot_form_keeps_what_was_typed(app, client, people):
    sign_in(client, "0913000001")
    response = post(
        client,
        "/plots/new",
        name="Vườn điều nhà Ba",
        **ADDRESS,
        area_ha="không biết",
        crops="cashew",
        latitude="11.851234",
        longitude="106.581234",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="Vườn điều nhà Ba"' in page
    assert 'value="11.851234"' in page and 'value="106.581234"' in page
    # The message sits under the area field, whose input is marked invalid.
    assert (
        'id="f-area_ha-errors"' in page
        and 'aria-describedby="f-area_ha-errors"' not in page.split('id="f-name"')[1].split(">")[0]
    )
    area_input = page.split('id="f-area_ha"')[1].split(">")[0]
    assert 'aria-invalid="true"' in area_input and 'value="không biết"' in area_input
    assert plots(app) == []


def test_a_bad_gps_point_is_shown_on_the_coordinates(app, client, people):
    sign_in(client, "0913000001")
    in_english(client)
    response = post(client, "/plots/new", name="Lô 1", **ADDRESS, area_ha="1", latitude="106.58", longitude="11.85")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Longitude comes first" in page and 'value="106.58"' in page


def test_coop_manager_adds_a_plot_for_a_member_with_a_comma_decimal(app, client, people):
    sign_in(client, "0913000001")
    form = client.get("/plots/new").get_data(as_text=True)
    assert "Hộ Lê Văn Cúc" in form and "Xã Lộc Ninh" in form
    response = post(
        client,
        "/plots/new",
        owner_id=str(people["member"]),
        name="Lô tiêu",
        **ADDRESS,
        area_ha="1,75",
        crops="pepper",
        latitude="11,851234",
        longitude="106,581234",
        deforestation_free="y",
    )
    assert response.status_code == 303
    from decimal import Decimal

    assert plots(app)[-1] == (
        "Lô tiêu",
        people["member"],
        Decimal("1.75"),
        {"type": "Point", "coordinates": [106.581234, 11.851234]},
    )
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lô tiêu" in detail and "11.851234" in detail


def test_edit_a_plot_and_see_its_eudr_status(app, client, people):
    sign_in(client, "0913000001")
    in_english(client)
    created = post(
        client,
        "/plots/new",
        name="Lô cao su",
        **ADDRESS,
        area_ha="6",
        crops="rubber",
        latitude="11.85",
        longitude="106.58",
        deforestation_free="y",
    )
    detail_url = created.headers["Location"]
    detail = client.get(detail_url).get_data(as_text=True)
    assert "A plot over 4 ha needs its boundary as a polygon" in detail
    edit_url = detail_url + "/edit"
    assert 'value="Lô cao su"' in client.get(edit_url).get_data(as_text=True)
    bad = post(
        client,
        edit_url,
        name="Lô cao su",
        **ADDRESS,
        area_ha="6",
        crops="rubber",
        geometry='{"type": "Polygon", "coordinates": '
        "[[[106.0, 11.0], [106.01, 11.01], [106.01, 11.0], [106.0, 11.01], [106.0, 11.0]]]}",
        deforestation_free="y",
    )
    assert bad.status_code == 422 and "crosses itself" in bad.get_data(as_text=True)
    polygon = (
        '{"type": "Polygon", "coordinates": '
        "[[[106.58, 11.85], [106.5821, 11.85], [106.5821, 11.8521], [106.58, 11.8521], [106.58, 11.85]]]}"
    )
    good = post(
        client,
        edit_url,
        name="Lô cao su lớn",
        **ADDRESS,
        area_ha="6",
        crops="rubber",
        geometry=polygon,
        deforestation_free="y",
    )
    assert good.status_code == 303
    assert "This plot has everything the EUDR asks for." in client.get(detail_url).get_data(as_text=True)


def test_someone_elses_plot_pages_are_not_found(client, people):
    sign_in(client, "0913000001")
    assert client.get(f"/plots/{people['other_plot']}").status_code == 404
    assert client.get(f"/plots/{people['other_plot']}/edit").status_code == 404
    assert "Lô của Bình" not in client.get("/plots").get_data(as_text=True)


def test_certificate_form_keeps_what_was_typed_and_saves(app, client, people):
    sign_in(client, "0913000001")
    in_english(client)
    plot_id = post(client, "/plots/new", name="Lô điều", **ADDRESS, area_ha="2").headers["Location"].rsplit("/", 1)[1]
    url = f"/certificates/new?plot_id={plot_id}"
    assert f'value="{plot_id}" checked' in client.get(url).get_data(as_text=True)
    bad = post(
        client,
        url,
        "/certificates/new",
        type="vietgap",
        number="VG-0042",
        issuer="QUACERT",
        valid_from="2026-01-01",
        valid_to="2025-01-01",
        plot_ids=plot_id,
    )
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert 'value="VG-0042"' in page and "The certificate cannot end before it starts." in page
    good = post(
        client,
        url,
        "/certificates/new",
        type="vietgap",
        number="VG-0042",
        issuer="QUACERT",
        valid_from="2025-01-01",
        valid_to="2027-01-01",
        plot_ids=plot_id,
    )
    assert good.status_code == 303
    assert "VG-0042" in client.get(f"/plots/{plot_id}").get_data(as_text=True)
    assert seeded(app, lambda: [c.number for c in db.session.scalars(select(Certificate))]) == ["VG-0042"]


def test_import_page_lists_bad_rows_then_imports(app, client, people):
    sign_in(client, "0913000001")
    page = client.get("/imports").get_data(as_text=True)
    assert "/api/v1/imports/templates/plots.xlsx" in page and "/api/v1/imports/templates/harvests.csv" in page
    bad_sheet = "tên lô;xã/phường;diện tích (ha)\nLô 1;25270;2,5\nLô 2;25270;0\n".encode()
    bad = client.post(
        "/imports",
        data={"csrf_token": csrf_token(client, "/imports"), "kind": "plots", "file": (io.BytesIO(bad_sheet), "lo.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert "Dòng 3, cột «diện tích (ha)»: phải là số lớn hơn 0" in bad.get_data(as_text=True)
    assert plots(app) == []
    good_sheet = "tên lô;xã/phường;diện tích (ha)\nLô 1;25270;2,5\nLô 2;25270;1\n".encode()
    good = client.post(
        "/imports",
        data={
            "csrf_token": csrf_token(client, "/imports"),
            "kind": "plots",
            "file": (io.BytesIO(good_sheet), "lo.csv"),
        },
        content_type="multipart/form-data",
    )
    assert good.status_code == 303
    listing = client.get("/plots").get_data(as_text=True)
    assert "Lô 1" in listing and "Lô 2" in listing
    assert [p[1] for p in plots(app)] == [people["coop"], people["coop"]]


def test_pages_need_a_signed_in_user(client, people):
    assert client.get("/plots").status_code in (302, 401)
    assert client.get("/plots/new").status_code in (302, 401)
