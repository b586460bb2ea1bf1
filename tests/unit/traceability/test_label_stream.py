"""Label sheets are written page by page: the PDF says what reportlab's own one-piece document said, page for page."""

from __future__ import annotations

import io
import re
import tracemalloc

import pytest
from pypdf import PdfReader

from traceability.labels import LabelContent, Line, render_labels, write_labels
from traceability.labels import stream as label_stream

CONTENT = LabelContent(
    "http://localhost/t/7KQ2MXPA",
    (
        Line("Hạt điều thô", "title"),
        Line("Raw cashew nuts", "english"),
        Line("Hợp tác xã Nông nghiệp Dịch vụ Điều Bù Gia Mập", "body"),
    ),
    bag_line="Bao {number}/{count} · Bag {number}/{count}",
    title="Hạt điều thô · L-1",
)


def _whole_in_memory(monkeypatch) -> None:
    """Every page through reportlab's showPage and save, as before the sheet was streamed."""
    monkeypatch.setattr(label_stream.PageSpool, "take_page", lambda self: self.pdf.showPage())
    monkeypatch.setattr(label_stream.PageSpool, "finish", lambda self, out: out.write(self.pdf.getpdfdata()))


def _same_objects(value) -> str:
    return re.sub(r"IndirectObject\((\d+), (\d+), \d+\)", r"ref(\1)", str(value))


@pytest.mark.parametrize(("fmt", "count"), [("thermal", 1), ("thermal", 37), ("a4", 24), ("a4", 100)])
def test_a_streamed_sheet_has_the_pages_of_the_one_piece_document(monkeypatch, fmt, count):
    streamed = PdfReader(io.BytesIO(render_labels(CONTENT, fmt, count)), strict=True)
    with monkeypatch.context() as patch:
        _whole_in_memory(patch)
        whole = PdfReader(io.BytesIO(render_labels(CONTENT, fmt, count)), strict=True)
    assert len(streamed.pages) == len(whole.pages)
    for mine, theirs in zip(streamed.pages, whole.pages, strict=True):
        assert mine.get_contents().get_data() == theirs.get_contents().get_data()
        assert mine.extract_text() == theirs.extract_text()
        resources = {key: mine[key] for key in mine if key not in ("/Contents", "/Parent")}
        expected = {key: theirs[key] for key in theirs if key not in ("/Contents", "/Parent")}
        assert _same_objects(resources) == _same_objects(expected)
    fonts = streamed.pages[0]["/Resources"]["/Font"]
    for name, font in whole.pages[0]["/Resources"]["/Font"].items():
        if "/FontDescriptor" in font:  # the embedded subsets hold every character of every page
            mine = fonts[name]["/FontDescriptor"]["/FontFile2"].get_data()
            assert mine == font["/FontDescriptor"]["/FontFile2"].get_data()
    assert streamed.metadata.title == "Hạt điều thô · L-1"
    assert f"Bao {count}/{count} · Bag {count}/{count}" in streamed.pages[-1].extract_text()


def test_a_sheet_written_to_a_file_is_the_same_and_memory_does_not_grow_with_it(tmp_path):
    write_labels(CONTENT, "thermal", 2, io.BytesIO())  # fonts loaded
    peaks = []
    for count in (50, 500):
        path = tmp_path / f"{count}.pdf"
        with path.open("wb") as out:
            tracemalloc.start()
            write_labels(CONTENT, "thermal", count, out)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
        assert path.read_bytes() == render_labels(CONTENT, "thermal", count)
    assert (peaks[1] - peaks[0]) / 450 < 100  # bytes a label; holding the pages took about 6,000
