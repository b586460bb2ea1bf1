"""The department's dashboard pages and downloads, as an officer reads them in Vietnamese."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from tests.builders import PASSWORD
from tests.integration.reports.supply_world import SupplyWorld

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
SEASON = {"period": "2025/26"}


@pytest.fixture
def world(app):
    return SupplyWorld(app)


def sign_in(client, phone: str) -> None:
    client.set_cookie("lang", "vi", domain="localhost")
    token = CSRF_RE.search(client.get("/sign-in").get_data(as_text=True)).group(1)
    answer = client.post("/sign-in", data={"csrf_token": token, "login": phone, "password": PASSWORD})
    assert answer.status_code == 303


def test_an_officer_sees_charts_and_their_numbers_in_vietnamese(client, world):
    sign_in(client, world.officer_phone)
    page = client.get("/department/reports/supply", query_string=SEASON)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("<svg") >= 3  # over time, by commune, certified shares
    assert "Sản lượng thu hoạch theo xã/phường" in html and "Phường Bình Long" in html
    assert "4.300" in html  # Bình Long's cashew, in Vietnamese number format
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]  # the chart needs no JavaScript
    assert "01/10/2025" in html  # the season's first day, as Vietnamese write dates
    # No open commune boundaries: the plots' own points, one colour per commune, stand in for a map.
    plots = html.split('id="plots_by_commune"', 1)[1].split("</section>", 1)[0]
    assert "Vị trí các lô đất" in plots and plots.count('class="dot') >= 7 and "Xã Lộc Ninh" in plots
    for section in ("market", "eudr", "anomalies"):
        assert client.get(f"/department/reports/{section}", query_string=SEASON).status_code == 200


def test_invalid_filters_are_named_beside_their_fields(client, world):
    sign_in(client, world.officer_phone)
    page = client.get("/department/reports/supply", query_string={"period": "2026-13", "commune": "99999"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Hãy nhập kỳ là một năm (2026)" in html
    assert "Không có xã/phường 99999 trong tỉnh." in html


def test_people_outside_the_department_are_refused(client, world):
    assert client.get("/department/reports/supply").status_code in (302, 303)  # to sign in
    sign_in(client, world.farmer_phone)
    assert client.get("/department/reports/supply").status_code == 403
    assert client.get("/department/reports/download/harvested.csv").status_code == 403
    token = CSRF_RE.search(client.get("/sign-in").get_data(as_text=True) or "")
    refresh = client.post("/department/reports/refresh", data={"csrf_token": token.group(1) if token else ""})
    assert refresh.status_code == 403


def test_the_csv_keeps_vietnamese_and_the_table_s_figures(client, world):
    sign_in(client, world.officer_phone)
    response = client.get("/department/reports/download/harvested_by_commune.csv", query_string=SEASON)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="harvested_by_commune-2025-26.csv"' in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Mã nông sản", "Nông sản", "Mã xã/phường", "Xã/phường"] or "Xã/phường" in rows[0]
    cashew = [row for row in rows[1:] if row[0] == "cashew" and row[2] == "25326"]
    assert cashew and cashew[0][3] == "Phường Bình Long" and float(cashew[0][4]) == 4300


def test_the_xlsx_opens_with_numbers_a_spreadsheet_can_add(client, world):
    sign_in(client, world.officer_phone)
    response = client.get("/department/reports/download/harvested_by_commune.xlsx", query_string=SEASON)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "Xã/phường" in rows[0]
    quantities = {(r[0], r[2]): r[4] for r in rows[1:]}
    assert quantities[("cashew", "25326")] == 4300 and quantities[("cashew", "25270")] == 500
    assert sum(quantities.values()) == 6300


def test_refresh_now_brings_new_harvests_into_the_stated_freshness(app, client, world):
    from core.accounts.models import User
    from core.extensions import db
    from tests.traceability_builders import make_harvest, seeded
    from traceability.models import Plot

    sign_in(client, world.officer_phone)

    def harvest_more():
        farmer = db.session.query(User).filter_by(phone=world.farmer_phone).one()
        plot = db.session.query(Plot).filter_by(organization_id=farmer.memberships[0].organization_id).first()
        make_harvest(farmer, [plot], quantity="100")

    seeded(app, harvest_more)
    before = client.get("/department/reports/supply").get_data(as_text=True)
    assert "1 lần thu hoạch ghi sau đó chưa có trong số liệu." in before
    token = CSRF_RE.search(before).group(1)
    answer = client.post(
        "/department/reports/refresh", data={"csrf_token": token, "next": "/department/reports/supply"}
    )
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/department/reports/supply")
    after = client.get("/department/reports/supply").get_data(as_text=True)
    assert "chưa có trong số liệu" not in after and "Số liệu tính đến" in after


def test_the_period_summary_pdf_names_the_period_and_the_communes(client, world):
    from pypdf import PdfReader

    sign_in(client, world.officer_phone)
    response = client.get("/department/reports/summary.pdf", query_string=SEASON)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)
    assert "2025/26" in text and "01/10/2025" in text
    assert "Phường Bình Long" in text and "4.300" in text
    sign_in(client, world.farmer_phone)
    assert client.get("/department/reports/summary.pdf").status_code == 403
