"""Label sheets: PDFs of bag labels with the QR code and Vietnamese text intact, small ones at once, big ones by the
task."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import event

from core.accounts.models import OrganizationKind
from core.extensions import db
from tests.builders import make_org, make_token
from tests.conftest import csrf_token
from tests.traceability_builders import make_harvest, make_plot, quick_user, seeded
from traceability.models import LabelJob, LabelJobStatus

COOP = "Hợp tác xã Điều Bù Gia Mập"
BU_GIA_MAP = "25222"


@pytest.fixture
def coop(app):
    """A cashew co-op in Xã Bù Gia Mập with a 50-tonne lot of raw cashew nuts, and an outsider."""

    def build():
        manager = quick_user("Trần Văn Minh")
        organization = make_org(OrganizationKind.COOPERATIVE, name=COOP, owner=manager, commune_code=BU_GIA_MAP)
        plot = make_plot(organization, name="Vườn điều", commune_code=BU_GIA_MAP)
        batch = make_harvest(manager, [plot], quantity="50000", harvest_date=date(2026, 1, 15))
        outsider = quick_user("Người ngoài")
        make_org(OrganizationKind.TRADER, name="Thương lái", owner=outsider)
        return {
            "code": batch.code,
            "manager": make_token(manager),
            "manager_id": manager.id,
            "outsider": make_token(outsider),
        }

    return seeded(app, build)


def auth(coop, who="manager"):
    return {"Authorization": f"Bearer {coop[who]}"}


def pdf_of(client, coop, body) -> tuple[dict, PdfReader]:
    created = client.post(f"/api/v1/batches/{coop['code']}/label-sheets", json=body, headers=auth(coop))
    assert created.status_code == 202, created.json
    sheet = client.get(created.json["status_url"], headers=auth(coop)).json
    assert sheet["status"] == "done" and sheet["download_url"]
    download = client.get(sheet["download_url"], headers=auth(coop))
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    return sheet, PdfReader(io.BytesIO(download.data))


def test_a_500_label_sheet_is_made_by_the_task_with_vietnamese_text_intact(app, client, coop):
    updates: list[str] = []

    def count_progress(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("UPDATE label_jobs") and "progress" in statement:
            updates.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count_progress)
    try:
        sheet, pdf = pdf_of(client, coop, {"count": 500, "format": "a4", "net_weight_kg": "80"})
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count_progress)
    assert sheet["count"] == 500 and sheet["progress"] == 500
    assert len(pdf.pages) == 21  # 24 labels per A4 sheet
    first, last = pdf.pages[0].extract_text().splitlines(), pdf.pages[-1].extract_text().splitlines()
    for lines in (first, last):
        assert "Hạt điều thô" in lines and "Raw cashew nuts" in lines
        assert COOP in lines
        assert "Xã Bù Gia Mập, Đồng Nai" in lines
        assert (
            f"Lot code: {coop['code']}" in lines
            and "Net weight: 80 kg" in lines
            and "Harvest date: 15 Jan 2026" in lines
        )
    assert first.count(COOP) == 24 and last.count(COOP) == 500 - 20 * 24
    assert any(line.endswith("Bag 500/500") for line in last)
    assert len(updates) >= 10  # the page saw it move


def test_thermal_labels_are_one_per_page(client, coop):
    _sheet, pdf = pdf_of(client, coop, {"count": 60, "format": "thermal", "net_weight_kg": "33.33"})
    assert len(pdf.pages) == 60
    lines = pdf.pages[59].extract_text().splitlines()
    assert COOP in lines and "Net weight: 33.33 kg" in lines and any(line.endswith("Bag 60/60") for line in lines)


def test_a_small_sheet_is_ready_in_the_answer(client, coop):
    created = client.post(
        f"/api/v1/batches/{coop['code']}/label-sheets",
        json={"count": 12, "format": "a4", "net_weight_kg": 80},
        headers=auth(coop),
    )
    assert created.status_code == 202
    assert created.json["status"] == "done" and created.json["progress"] == 12
    assert created.headers["Location"] == created.json["status_url"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"count": 501, "format": "a4", "net_weight_kg": "80"}, "count"),
        ({"count": 0, "format": "a4", "net_weight_kg": "80"}, "count"),
        ({"count": 500, "format": "a4", "net_weight_kg": "101"}, "count"),  # 50.5 t is more than the 50 t lot
        ({"count": 10, "format": "a5", "net_weight_kg": "80"}, "format"),
        ({"count": 10, "format": "a4", "net_weight_kg": "0"}, "net_weight_kg"),
        ({"count": 10, "format": "a4", "net_weight_kg": "1001"}, "net_weight_kg"),
        ({"count": 10, "format": "a4"}, "net_weight_kg"),
    ],
)
def test_field_errors_name_the_field(client, coop, body, field):
    response = client.post(f"/api/v1/batches/{coop['code']}/label-sheets", json=body, headers=auth(coop))
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_only_those_acting_for_the_holder_make_or_fetch_labels(client, coop):
    body = {"count": 5, "format": "a4", "net_weight_kg": "80"}
    assert client.post(f"/api/v1/batches/{coop['code']}/label-sheets", json=body).status_code == 401
    assert (
        client.post(
            f"/api/v1/batches/{coop['code']}/label-sheets", json=body, headers=auth(coop, "outsider")
        ).status_code
        == 404
    )
    sheet = client.post(f"/api/v1/batches/{coop['code']}/label-sheets", json=body, headers=auth(coop)).json
    assert client.get(sheet["status_url"], headers=auth(coop, "outsider")).status_code == 404
    assert client.get(sheet["download_url"], headers=auth(coop, "outsider")).status_code == 404


def sign_in(client, user_id):
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    client.set_cookie("lang", "en", domain="localhost")


def test_the_page_makes_labels_and_offers_the_download(client, coop):
    sign_in(client, coop["manager_id"])
    form_url = f"/batches/{coop['code']}/labels"
    page = client.get(form_url).get_data(as_text=True)
    assert f"/t/{coop['code']}/qr.svg" in page and 'name="csrf_token"' in page
    failed = client.post(
        form_url,
        data={"csrf_token": csrf_token(client, form_url), "count": "600", "format": "a4", "net_weight_kg": "80"},
    )
    assert failed.status_code == 422
    assert "Enter a whole number of labels from 1 to 500." in failed.get_data(
        as_text=True
    ) and 'value="600"' in failed.get_data(as_text=True)
    made = client.post(
        form_url,
        data={"csrf_token": csrf_token(client, form_url), "count": "8", "format": "thermal", "net_weight_kg": "80"},
    )
    assert made.status_code == 303
    sheet = client.get(made.location)
    text = sheet.get_data(as_text=True)
    assert "Your 8 labels are ready." in text and 'http-equiv="refresh"' not in text
    download = client.get(made.location + "/download")
    assert download.mimetype == "application/pdf" and len(PdfReader(io.BytesIO(download.data)).pages) == 8


def test_the_page_of_a_sheet_being_made_refreshes_itself_and_shows_progress(app, client, coop):
    def build():
        from traceability.services.access import find_batch

        batch = find_batch(coop["code"])
        job = LabelJob(
            public_id="pending-sheet-1",
            batch_id=batch.id,
            organization_id=batch.custodian_id,
            label_format="a4",
            label_count=400,
            net_weight_kg=80,
            status=LabelJobStatus.RUNNING,
            progress=120,
        )
        db.session.add(job)
        db.session.commit()

    seeded(app, build)
    sign_in(client, coop["manager_id"])
    text = client.get("/label-sheets/pending-sheet-1").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in text
    assert '<progress max="400" value="120">' in text and "Making 120 of 400 labels." in text
    assert "/download" not in text
    assert client.get("/label-sheets/pending-sheet-1/download").status_code == 404


def test_someone_elses_label_page_is_not_found(client, coop, app):
    other = seeded(app, lambda: quick_user("Khách").id)
    sign_in(client, other)
    assert client.get(f"/batches/{coop['code']}/labels").status_code == 404


def test_a_long_producer_name_is_broken_over_two_lines_never_cut():
    from traceability.labels import LabelContent, Line, render_labels

    name = "Hợp tác xã Nông nghiệp Dịch vụ Điều Bù Gia Mập"
    content = LabelContent(
        "http://localhost/t/7KQ2MXPA",
        (Line("Hạt điều thô", "title"), Line(name, "body")),
        bag_line="Bao {number}/{count}",
    )
    lines = PdfReader(io.BytesIO(render_labels(content, "a4", 3))).pages[0].extract_text().splitlines()
    assert "…" not in "".join(lines)
    assert lines[:4] == ["Hạt điều thô", "Hợp tác xã Nông nghiệp", "Dịch vụ Điều Bù Gia Mập", "Bao 1/3"]


def test_the_text_all_labels_share_is_in_the_sheet_once_not_once_a_label():
    """A co-op prints hundreds of bags: each further label adds its bag number, not the whole text again."""
    from traceability.labels import LabelContent, Line, render_labels

    content = LabelContent(
        "http://localhost/t/7KQ2MXPA",
        (
            Line("Hạt điều thô", "title"),
            Line("Hợp tác xã Nông nghiệp Dịch vụ Điều Bù Gia Mập", "body"),
            Line("Raw cashew nuts", "english"),
            Line("Khối lượng tịnh 80 kg · Net weight 80 kg", "caption"),
        ),
        bag_line="Bao {number}/{count} · Bag {number}/{count}",
    )
    small, large = len(render_labels(content, "a4", 240)), len(render_labels(content, "a4", 2400))
    assert (large - small) / 2160 < 70  # bytes a label; drawing the text on every label took about 90
    lines = PdfReader(io.BytesIO(render_labels(content, "a4", 30))).pages[1].extract_text().splitlines()
    assert lines.count("Raw cashew nuts") == 6 and "Bao 30/30 · Bag 30/30" in lines
