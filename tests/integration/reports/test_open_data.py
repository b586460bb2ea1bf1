"""The province's open supply data: public, in long format, without personal data, small cells suppressed."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.integration.reports.supply_world import BINH_LONG, SupplyWorld

FIELDS = [
    "commodity",
    "product",
    "province_code",
    "commune_code",
    "period_start",
    "period_end",
    "element",
    "unit",
    "value",
    "flag",
    "source",
]


@pytest.fixture
def world(app):
    return SupplyWorld(app)


def test_cells_of_fewer_than_three_producers_are_suppressed_and_flagged(client, world):
    response = client.get("/api/v1/open-data/supply", query_string={"commodity": "cashew", "per_page": 100})
    assert response.status_code == 200
    body = response.json
    assert body["licence"] == "CC-BY-4.0" and body["updated_at"]
    cells = {(r["commune_code"], r["period_start"], r["element"]): r for r in body["records"]}
    # April in Bình Long: three producers (H2, H3, H4) → published.
    april = cells[(BINH_LONG, "2026-04-01", "harvested_quantity")]
    assert (april["value"], april["flag"], april["unit"], april["province_code"]) == ("2300", None, "kg", "75")
    assert cells[(BINH_LONG, "2026-04-01", "producers")]["value"] == 3
    # March in Bình Long: two producers → no value at all, flagged, for every element of the cell.
    for element in ("harvested_quantity", "harvest_lots", "producers"):
        march = cells[(BINH_LONG, "2026-03-01", element)]
        assert march["value"] is None and march["flag"] == "suppressed"
    assert json.loads(response.headers["X-Pagination"])["total"] == len(cells)


def test_no_personal_data_is_published(client, world):
    text = client.get("/api/v1/open-data/supply.csv", query_string={"period": "all"}).get_data(as_text=True)
    for personal in ("Nguyễn Văn Một", "Trần Thị Hai", "Hộ ", world.farmer_phone):
        assert personal not in text


def test_the_csv_opens_in_a_spreadsheet_with_the_same_records(client, world):
    response = client.get("/api/v1/open-data/supply.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    assert reader.fieldnames == FIELDS
    records = list(reader)
    as_json = client.get("/api/v1/open-data/supply", query_string={"per_page": 100}).json["records"]
    assert len(records) == len(as_json) > 0
    april = next(
        r
        for r in records
        if (r["commune_code"], r["period_start"], r["element"], r["product"])
        == (BINH_LONG, "2026-04-01", "harvested_quantity", "raw_cashew_nuts")
    )
    assert april["value"] == "2300" and april["flag"] == ""


def test_pages_cut_the_records_without_losing_or_repeating_one(client, world):
    whole = client.get("/api/v1/open-data/supply", query_string={"per_page": 100}).json["records"]
    pages = [
        client.get("/api/v1/open-data/supply", query_string={"page": n, "per_page": 4}).json["records"]
        for n in range(1, len(whole) // 4 + 2)
    ]
    assert [record for page in pages for record in page] == whole


def test_the_catalogue_describes_the_dataset_its_licence_and_update_time(client, world):
    client.set_cookie("lang", "vi", domain="localhost")
    page = client.get("/open-data")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Creative Commons" in html or "CC BY 4.0" in html
    assert "Nguồn cung thu hoạch theo xã/phường và tháng" in html
    assert "/api/v1/open-data/supply.csv" in html and "/api/v1/open-data/supply" in html
    assert "Chưa công bố" not in html  # the rollup was refreshed: an update time is shown
    client.set_cookie("lang", "en", domain="localhost")
    assert "Harvested supply by commune and month" in client.get("/open-data").get_data(as_text=True)
