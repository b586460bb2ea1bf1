"""A sheet import reads no more than it must: zip bombs and sheets of endless blank rows are refused up front."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from tests.traceability_builders import PlotWorld
from traceability.services.imports.sheets import MAX_ROWS

PLOT_HEADER = ["tên lô", "xã/phường", "diện tích (ha)"]


@pytest.fixture
def world(app):
    return PlotWorld(app)


def upload(client, world, content: bytes, name: str):
    data = {"kind": "plots", "organization_id": str(world.coop), "file": (io.BytesIO(content), name)}
    return client.post("/api/v1/imports", data=data, content_type="multipart/form-data", headers=world.auth("manager"))


def workbook_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_that_unpacks_to_more_than_50_mb_is_refused_in_vietnamese(client, world):
    buffer = io.BytesIO(workbook_bytes([PLOT_HEADER, ["Lô 1", "25270", "1"]]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/media/padding.bin", bytes(51 * 1024 * 1024))  # 51 MB of zeros: about 50 KB packed
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024
    response = upload(client, world, content, "lo-dat.xlsx")
    assert response.status_code == 422
    problem = response.get_json()["problems"][0]
    assert "giải nén lớn hơn 50 MB" in problem["message"]
    assert "unpacks to more than 50 MB" in problem["message_en"]


def test_blank_rows_count_toward_the_row_limit(client, world):
    lines = [";".join(PLOT_HEADER), "Lô 1;25270;1"] + [";;"] * MAX_ROWS + ["Lô 2;25270;1"]
    response = upload(client, world, "\n".join(lines).encode(), "lo-dat.csv")
    assert response.status_code == 422
    assert f"more than {MAX_ROWS} rows" in response.get_json()["problems"][0]["message_en"]


def test_a_few_blank_rows_are_still_skipped(client, world):
    lines = [";".join(PLOT_HEADER), "Lô 1;25270;1", ";;", "", "Lô 2;25270;2,5"]
    response = upload(client, world, "\n".join(lines).encode(), "lo-dat.csv")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["created"] == 2
