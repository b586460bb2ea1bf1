"""Bulk imports of plots and harvests: all rows or none, with a Vietnamese report naming rows and columns."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from core.accounts.models import Organization
from core.extensions import db
from tests.traceability_builders import PlotWorld, make_plot, seeded
from traceability.models import Batch, Event, EventQuantity, Plot

PLOT_HEADER = [
    "tên lô",
    "hộ thành viên",
    "xã/phường",
    "diện tích (ha)",
    "cây trồng",
    "vĩ độ",
    "kinh độ",
    "cam kết không phá rừng sau 31/12/2020",
]
HARVEST_HEADER = ["lô đất", "hộ thành viên", "sản phẩm", "khối lượng", "đơn vị", "DRC (%)", "ngày thu hoạch"]


@pytest.fixture
def world(app):
    return PlotWorld(app)


def csv_bytes(header, rows, delimiter=";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, world, kind, content, name="sheet.csv", who="manager", organization="coop"):
    data = {"kind": kind, "organization_id": str(getattr(world, organization)), "file": (io.BytesIO(content), name)}
    return client.post("/api/v1/imports", data=data, content_type="multipart/form-data", headers=world.auth(who))


def count(app, model) -> int:
    return seeded(app, lambda: db.session.scalar(select(func.count()).select_from(model)))


def test_templates_download_and_open(client):
    plots_csv = client.get("/api/v1/imports/templates/plots.csv")
    assert plots_csv.status_code == 200 and plots_csv.mimetype == "text/csv"
    assert "attachment" in plots_csv.headers["Content-Disposition"]
    header = next(csv.reader(io.StringIO(plots_csv.get_data().decode("utf-8-sig"))))
    assert header[:5] == ["tên lô", "hộ thành viên", "xã/phường", "địa chỉ", "diện tích (ha)"]

    harvests_xlsx = client.get("/api/v1/imports/templates/harvests.xlsx")
    assert harvests_xlsx.status_code == 200
    workbook = load_workbook(io.BytesIO(harvests_xlsx.get_data()))
    first = [cell.value for cell in workbook.worksheets[0][1]]
    assert first[:3] == ["lô đất", "hộ thành viên", "sản phẩm"] and "khối lượng" in first
    assert workbook.worksheets[1].title == "Hướng dẫn"
    assert client.get("/api/v1/imports/templates/batches.csv").status_code == 404
    assert client.get("/api/v1/imports/templates/plots.pdf").status_code == 404


def test_coop_imports_plots_for_itself_and_a_member_household(app, client, world):
    rows = [
        ["Lô 1", "", "25270", "1.250,5", "điều", "11,851234", "106,581234", "có"],
        ["Lô của hộ Cúc", "Hộ Lê Văn Cúc", "Xã Lộc Ninh", "2,5", "tiêu; cao su", "", "", "không"],
    ]
    response = upload(client, world, "plots", csv_bytes(PLOT_HEADER, rows))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["created"] == 2

    def check():
        plots = {p.name: p for p in db.session.scalars(select(Plot))}
        assert plots["Lô 1"].organization_id == world.coop and plots["Lô 1"].area_ha == Decimal("1250.5")
        assert plots["Lô 1"].geometry == {"type": "Point", "coordinates": [106.581234, 11.851234]}
        assert plots["Lô 1"].deforestation_free and plots["Lô 1"].deforestation_declared_by_id == world.manager_id
        assert plots["Lô của hộ Cúc"].organization_id == world.member and plots["Lô của hộ Cúc"].commune_code == "25270"
        assert plots["Lô của hộ Cúc"].crops == ["pepper", "rubber"] and not plots["Lô của hộ Cúc"].deforestation_free

    seeded(app, check)


def test_a_failed_import_writes_nothing_and_names_rows_and_columns_in_vietnamese(app, client, world):
    good = ["Lô tốt", "", "25270", "2", "điều", "", "", "có"]
    rows = [good] * 5 + [
        ["Lô xấu", "", "25270", "0", "điều", "", "", "có"],
        ["", "Hộ lạ", "99999", "abc", "sầu riêng", "", "", "có"],
    ]
    response = upload(client, world, "plots", csv_bytes(PLOT_HEADER, rows))
    assert response.status_code == 422
    problem = response.get_json()
    messages = [p["message"] for p in problem["problems"]]
    assert "Dòng 7, cột «diện tích (ha)»: phải là số lớn hơn 0" in messages
    assert {(p["row"], p["column"]) for p in problem["problems"]} >= {
        (7, "diện tích (ha)"),
        (8, "tên lô"),
        (8, "hộ thành viên"),
        (8, "xã/phường"),
        (8, "diện tích (ha)"),
        (8, "cây trồng"),
    }
    assert all(p["message_en"].startswith(f"Row {p['row']}") for p in problem["problems"])
    assert problem["errors"]["rows.7.area_ha"][0] == "Dòng 7, cột «diện tích (ha)»: phải là số lớn hơn 0"
    assert count(app, Plot) == 0


def test_missing_columns_and_unreadable_files_are_reported(app, client, world):
    response = upload(client, world, "plots", csv_bytes(["tên lô", "cây trồng"], [["Lô 1", "điều"]]))
    assert response.status_code == 422
    missing = {p["column"] for p in response.get_json()["problems"]}
    assert missing == {"xã/phường", "diện tích (ha)"}
    broken = upload(client, world, "plots", b"PK\x03\x04 not really a workbook", name="x.xlsx")
    assert broken.status_code == 422 and "Excel" in broken.get_json()["problems"][0]["message"]
    assert (
        upload(
            client, world, "plots", "tên lô;diện tích\n".encode("latin-1", errors="replace") + b"\xff\xfe", name="x.csv"
        ).status_code
        == 422
    )
    assert count(app, Plot) == 0


def test_import_for_another_organization_is_refused(app, client, world):
    response = upload(
        client, world, "plots", csv_bytes(PLOT_HEADER, [["Lô 1", "", "25270", "1", "", "", "", ""]]), who="outsider"
    )
    assert response.status_code == 404
    foreign = upload(
        client, world, "plots", csv_bytes(PLOT_HEADER, [["Lô 1", "Hộ Phạm Văn Bình", "25270", "1", "", "", "", ""]])
    )
    assert foreign.status_code == 422 and foreign.get_json()["problems"][0]["column"] == "hộ thành viên"
    assert count(app, Plot) == 0


def test_a_thousand_row_xlsx_import_lands_whole(app, client, world):
    rows = [
        [
            f"Lô {i:04d}",
            "Hộ Lê Văn Cúc" if i % 2 else "",
            25270,
            1 + (i % 7) / 4,
            "điều",
            11.85 + i / 1e6,
            106.58 + i / 1e6,
            "có",
        ]
        for i in range(1000)
    ]
    response = upload(client, world, "plots", xlsx_bytes(PLOT_HEADER, rows), name="lo-dat.xlsx")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["created"] == 1000 and len(set(response.get_json()["plot_ids"])) == 1000
    assert count(app, Plot) == 1000
    member_plots = seeded(
        app, lambda: db.session.scalar(select(func.count()).where(Plot.organization_id == world.member))
    )
    assert member_plots == 500


@pytest.fixture
def plots(app, world):
    def build():
        coop, member = db.session.get(Organization, world.coop), db.session.get(Organization, world.member)
        make_plot(coop, name="Vườn điều HTX", crops=["cashew"])
        make_plot(member, name="Lô cao su", crops=["rubber"])
        make_plot(member, name="Vườn điều HTX", crops=["cashew"])  # the same name in a member household

    seeded(app, build)


def test_coop_imports_harvests_with_vietnamese_quantities(app, client, world, plots):
    yesterday = (date.today() - timedelta(days=1)).strftime("%d/%m/%Y")
    rows = [
        ["Vườn điều HTX", "", "hạt điều thô", "1.250,5", "kg", "", yesterday],
        ["Lô cao su", "Hộ Lê Văn Cúc", "mủ nước", "2,4", "tấn", "32,5", yesterday],
    ]
    response = upload(client, world, "harvests", csv_bytes(HARVEST_HEADER, rows))
    assert response.status_code == 201, response.get_json()
    codes = response.get_json()["batch_codes"]
    assert len(codes) == 2

    def check():
        cashew = db.session.scalar(select(Batch).where(Batch.code == codes[0]))
        latex = db.session.scalar(select(Batch).where(Batch.code == codes[1]))
        assert (cashew.product, cashew.initial_quantity, cashew.unit, cashew.custodian_id) == (
            "raw_cashew_nuts",
            Decimal("1250.5"),
            "kg",
            world.coop,
        )
        assert (latex.product, latex.initial_quantity, latex.unit, latex.drc_percent) == (
            "field_latex",
            Decimal("2.4"),
            "t",
            Decimal("32.5"),
        )
        assert latex.custodian_id == world.member
        assert cashew.quantity_remaining == Decimal("1250.5")

    seeded(app, check)


def test_a_failed_harvest_import_writes_nothing(app, client, world, plots):
    tomorrow = (date.today() + timedelta(days=2)).strftime("%d/%m/%Y")
    rows = [
        ["Vườn điều HTX", "", "hạt điều thô", "500", "kg", "", "01/02/2025"],
        ["Lô không có", "", "hạt điều thô", "500", "kg", "", "01/02/2025"],
        ["Lô cao su", "", "mủ nước", "300", "kg", "", tomorrow],
        ["Vườn điều HTX", "", "sầu riêng", "-5", "bao", "", "32/13/2025"],
    ]
    response = upload(client, world, "harvests", csv_bytes(HARVEST_HEADER, rows))
    assert response.status_code == 422
    found = {(p["row"], p["column"]): p["message"] for p in response.get_json()["problems"]}
    assert found[(3, "lô đất")] == "Dòng 3, cột «lô đất»: không tìm thấy lô «Lô không có»"
    assert found[(4, "ngày thu hoạch")] == "Dòng 4, cột «ngày thu hoạch»: ngày thu hoạch không được ở tương lai"
    assert found[(4, "DRC (%)")] == "Dòng 4, cột «DRC (%)»: mủ nước cần có DRC (%)"
    assert {(5, "khối lượng"), (5, "đơn vị"), (5, "ngày thu hoạch")} <= set(found)
    assert count(app, Batch) == 0 and count(app, Event) == 0


def test_many_harvest_rows_land_whole(app, client, world, plots):
    rows = [
        ["Vườn điều HTX", "", "raw_cashew_nuts", 80 + i % 20, "kg", None, date(2025, 3, 1) + timedelta(days=i % 60)]
        for i in range(200)
    ]
    response = upload(client, world, "harvests", xlsx_bytes(HARVEST_HEADER, rows), name="thu-hoach.xlsx")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["created"] == 200
    assert count(app, Batch) == 200 and count(app, Event) == 200


def test_imported_harvests_are_hash_chained_like_harvests_recorded_one_by_one(app, client, world, plots):
    """The import writes its lots and events in batched INSERTs; each lot's history still verifies."""
    from core.accounts.models import User
    from traceability.services import integrity

    yesterday = (date.today() - timedelta(days=1)).strftime("%d/%m/%Y")
    rows = [["Vườn điều HTX", "", "hạt điều thô", f"{100 + i},5", "kg", "", yesterday] for i in range(5)]
    response = upload(client, world, "harvests", csv_bytes(HARVEST_HEADER, rows))
    assert response.status_code == 201, response.get_json()
    codes = response.get_json()["batch_codes"]
    assert len(set(codes)) == 5

    def check():
        manager = db.session.get(User, world.manager_id)
        for index, code in enumerate(codes):
            batch = db.session.scalar(select(Batch).where(Batch.code == code))
            assert batch.quantity_remaining == batch.initial_quantity == Decimal(f"{100 + index}.5")
            touching = select(EventQuantity.event_id).where(EventQuantity.batch_id == batch.id)
            (event,) = db.session.scalars(select(Event).where(Event.id.in_(touching))).all()
            assert event.prev_hashes == {code: None} and event.biz_step == "commissioning"
            verified = integrity.verify(manager, code)
            assert verified["ok"] and verified["checked"] == 1

    seeded(app, check)


def test_bulk_events_refuse_two_events_on_one_batch(app, world, plots):
    """The bulk ledger write links each event to its batches' newest hash before the call: two on one lot would
    break the chain, so it refuses them."""
    from core.accounts.models import User
    from tests.traceability_builders import make_harvest
    from traceability.models import EventType, QuantityRole
    from traceability.services import ledger

    def attempt():
        manager = db.session.get(User, world.manager_id)
        plot = db.session.scalar(select(Plot).where(Plot.organization_id == world.coop))
        batch = make_harvest(manager, [plot], quantity="100")
        fields = {
            "type": EventType.OBJECT,
            "operation": "observation",
            "biz_step": "inspecting",
            "organization_id": world.coop,
            "user_id": manager.id,
        }
        moves = [ledger.Movement(batch, QuantityRole.OUTPUT, Decimal("0"))]
        with pytest.raises(ValueError, match="one event per batch"):
            ledger.append_events([(fields, moves), (fields, moves)])
        db.session.rollback()

    seeded(app, attempt)


def test_imported_lots_carry_on_like_lots_recorded_one_by_one(app, client, world, plots):
    """The import writes its rows with Core statements, past the ORM and its flush listener: what it stores still
    chains, moves quantities, names the plots and versions the trace page like any other harvest."""
    from core.accounts.models import User
    from traceability.services import integrity, operations
    from traceability.services.lineage import lineage

    yesterday = (date.today() - timedelta(days=1)).strftime("%d/%m/%Y")
    rows = [["Vườn điều HTX", "", "hạt điều thô", f"{100 + i},5", "kg", "", yesterday] for i in range(3)]
    response = upload(client, world, "harvests", csv_bytes(HARVEST_HEADER, rows))
    assert response.status_code == 201, response.get_json()
    codes = response.get_json()["batch_codes"]

    def check():
        manager = db.session.get(User, world.manager_id)
        lots = {b.code: b for b in db.session.scalars(select(Batch).where(Batch.code.in_(codes)))}
        assert [lots[code].quantity_remaining for code in codes] == [
            Decimal("100.5"),
            Decimal("101.5"),
            Decimal("102.5"),
        ]
        assert {lot.trace_version for lot in lots.values()} == {0}  # a new lot's page starts at version 0
        lines = db.session.execute(select(EventQuantity.batch_id, EventQuantity.role, EventQuantity.quantity)).all()
        assert sorted(lines) == sorted((lot.id, "output", lot.initial_quantity) for lot in lots.values())

        _parent, (part,) = operations.split(manager, codes[0], parts=[{"quantity": Decimal("40")}])
        db.session.expire_all()
        parent = db.session.scalar(select(Batch).where(Batch.code == codes[0]))
        assert parent.quantity_remaining == Decimal("60.5") and parent.trace_version > 0
        found = lineage(manager, part.code)
        assert [node.batch.code for node in found.ancestors] == [codes[0]]
        assert [plot.name for plot in lineage(manager, codes[0]).plots] == ["Vườn điều HTX"]
        verified = integrity.verify(manager, part.code)
        assert verified["ok"] and verified["checked"] == 2  # the imported harvest, then the split

    seeded(app, check)


def test_bulk_events_of_new_lots_refuse_a_lot_not_holding_what_they_leave_it(app, world, plots):
    """The Core writer of an import's events moves no quantity: each lot must be inserted holding its harvest."""
    from types import SimpleNamespace

    from traceability.models import EventType, QuantityRole
    from traceability.services import ledger

    def attempt():
        fields = {
            "type": EventType.OBJECT,
            "operation": "harvest",
            "biz_step": "commissioning",
            "organization_id": world.coop,
            "user_id": world.manager_id,
        }
        lot = SimpleNamespace(id=10**6, code="ABCD2345", unit="kg", quantity_remaining=Decimal("0"))
        moves = [ledger.Movement(lot, QuantityRole.OUTPUT, Decimal("80"))]
        with pytest.raises(ValueError, match="holding what its first events leave it"):
            ledger.insert_events([(fields, moves)])
        with pytest.raises(ValueError, match="one event per batch"):
            ledger.insert_events([(fields, moves), (fields, moves)])
        assert db.session.scalar(select(func.count()).select_from(Event)) == 0
        db.session.rollback()

    seeded(app, attempt)
