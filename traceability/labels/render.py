"""Drawing a sheet of identical bag labels (but for the bag number) into one PDF.

Every label of a sheet carries the same QR code, so the code is drawn once as a
PDF form XObject and placed on each label by reference: a 500-label sheet stays
a few hundred kilobytes and renders in well under a second per hundred labels.
The text every label shares is laid out once and drawn once as a second form;
only the bag number is drawn label by label.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from reportlab.lib.colors import Color, black
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from core import pdf_fonts
from traceability.labels.layout import FORMATS, LabelGeometry
from traceability.labels.stream import PageSpool
from traceability.qr import dark_runs, matrix

REGULAR, BOLD = pdf_fonts.REGULAR, pdf_fonts.BOLD
GREY = Color(0.3, 0.3, 0.3)
LEADING = 1.22  # line height as a multiple of the font size
QR_FORM = "batch-qr"
TEXT_FORM = "label-text"
ELLIPSIS = "…"


@dataclass(frozen=True)
class Line:
    """One line of a label's text; ``style`` names a ``TextStyle`` of the format (title, body, english, caption,
    small)."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class LabelContent:
    """What every label of a sheet shows: the QR code's content, the lines, and the bag-number line.

    ``bag_line`` is a ``str.format`` template with ``{number}`` and ``{count}``
    (e.g. "Bao {number}/{count} · Bag {number}/{count}"); empty for none.
    """

    qr_content: str
    lines: tuple[Line, ...]
    bag_line: str = ""
    title: str = ""


def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) with reportlab once per process."""
    pdf_fonts.register()


@dataclass(frozen=True)
class _Placed:
    text: str
    font: str
    size: float
    grey: bool
    dx: float  # from the label's lower-left corner to the baseline start
    dy: float


def _fit(text: str, font: str, size: float, width: float, minimum: float) -> tuple[str, float]:
    """The largest size up to ``size`` at which ``text`` fits ``width``; cut with an ellipsis below ``minimum``."""
    measured = pdfmetrics.stringWidth(text, font, size)
    if measured <= width:
        return text, size
    fitted = size * width / measured
    if fitted >= minimum:
        return text, fitted
    while text and pdfmetrics.stringWidth(text + ELLIPSIS, font, minimum) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS, minimum


def _wrapped(lines: list[Line], geometry: LabelGeometry, width: float) -> list[Line]:
    """Body lines too long to stay readable on one line (a co-op's full name) broken in two at the space nearest the
    middle."""
    result = []
    for line in lines:
        style = geometry.styles[line.style]
        font = BOLD if style.bold else REGULAR
        readable = max(geometry.min_font_size, style.size * 0.75)
        spaces = [i for i, ch in enumerate(line.text) if ch == " "]
        if line.style != "body" or pdfmetrics.stringWidth(line.text, font, readable) <= width or not spaces:
            result.append(line)
            continue
        middle = min(spaces, key=lambda i: abs(i - len(line.text) / 2))
        result += [Line(line.text[:middle], line.style), Line(line.text[middle + 1 :], line.style)]
    return result


def _text_box(geometry: LabelGeometry) -> tuple[float, float, float, float]:
    """(left, bottom, width, height) of the text area, relative to the label's corner."""
    g = geometry
    if g.qr_on_top:
        top = g.label_height - g.padding - g.qr_size - 2 * mm
        return g.padding, g.padding, g.label_width - 2 * g.padding, top - g.padding
    left = g.padding + g.qr_size + 1.5 * mm
    return left, g.padding, g.label_width - g.padding - left, g.label_height - 2 * g.padding


def _layout(lines: list[Line], geometry: LabelGeometry) -> list[_Placed]:
    """Place the lines in the text area: break or shrink a line that is too wide, scale all down if too many, centre
    vertically."""
    left, bottom, width, height = _text_box(geometry)
    lines = _wrapped(lines, geometry, width)
    scale = 1.0
    for _attempt in range(4):
        fitted = []
        for line in lines:
            style = geometry.styles[line.style]
            font = BOLD if style.bold else REGULAR
            text, size = _fit(line.text, font, style.size * scale, width, geometry.min_font_size)
            fitted.append((text, font, size, style.grey))
        total = sum(size * LEADING for _t, _f, size, _g in fitted)
        if total <= height or scale * min(s.size for s in geometry.styles.values()) <= geometry.min_font_size:
            break
        scale *= height / total
    y = bottom + height - max(0.0, (height - total) / 2)
    placed = []
    for text, font, size, grey in fitted:
        y -= size * LEADING
        placed.append(_Placed(text, font, size, grey, left, y + size * (LEADING - 1)))
    return placed


def _define_qr_form(pdf: canvas.Canvas, content: str) -> int:
    modules = matrix(content)
    size = len(modules)
    pdf.beginForm(QR_FORM, 0, 0, size, size)
    path = pdf.beginPath()
    for x, y, length in dark_runs(modules):
        path.rect(x, size - 1 - y, length, 1)
    pdf.setFillColor(black)
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.endForm()
    return size


def _draw_lines(pdf: canvas.Canvas, x: float, y: float, placed: list[_Placed]) -> None:
    for item in placed:
        pdf.setFillColor(GREY if item.grey else black)
        pdf.setFont(item.font, item.size)
        pdf.drawString(x + item.dx, y + item.dy, item.text)


def _define_text_form(pdf: canvas.Canvas, geometry: LabelGeometry, placed: list[_Placed]) -> None:
    """The lines every label shares, drawn once: each label places them by reference, like the QR code, so that a
    label adds a few bytes to the page instead of its whole text (and the sheet's memory grows that much less)."""
    pdf.beginForm(TEXT_FORM, 0, 0, geometry.label_width, geometry.label_height)
    _draw_lines(pdf, 0, 0, placed)
    pdf.endForm()


def _draw_label(
    pdf: canvas.Canvas, geometry: LabelGeometry, x: float, y: float, modules: int, own: list[_Placed]
) -> None:
    g = geometry
    if g.qr_on_top:
        qx, qy = x + (g.label_width - g.qr_size) / 2, y + g.label_height - g.padding - g.qr_size
    else:
        qx, qy = x + g.padding, y + (g.label_height - g.qr_size) / 2
    pdf.saveState()
    pdf.translate(qx, qy)
    pdf.scale(g.qr_size / modules, g.qr_size / modules)
    pdf.doForm(QR_FORM)
    pdf.restoreState()
    pdf.saveState()
    pdf.translate(x, y)
    pdf.doForm(TEXT_FORM)
    pdf.restoreState()
    _draw_lines(pdf, x, y, own)  # the bag number, the one line that differs from label to label


def render_labels(
    content: LabelContent, fmt: str, count: int, *, progress: Callable[[int], None] | None = None
) -> bytes:
    """A PDF of ``count`` labels in format ``fmt`` ("a4" or "thermal"); ``progress(done)`` is called after each page."""
    buffer = io.BytesIO()
    write_labels(content, fmt, count, buffer, progress=progress)
    return buffer.getvalue()


def write_labels(
    content: LabelContent, fmt: str, count: int, out: BinaryIO, *, progress: Callable[[int], None] | None = None
) -> None:
    """``render_labels`` written to the binary file ``out`` as the pages are drawn: memory stays the same whatever
    the count (the pages after the first wait in a temporary file, not in reportlab's document)."""
    geometry = FORMATS[fmt]
    if count < 1:
        raise ValueError("a label sheet has at least one label")
    register_fonts()
    lines = [Line(unicodedata.normalize("NFC", line.text), line.style) for line in content.lines if line.text]
    bag_template = unicodedata.normalize("NFC", content.bag_line)
    # The bag line is laid out with the widest number so that every label looks alike.
    widest = bag_template.format(number=count, count=count) if bag_template else ""
    placed = _layout(lines + ([Line(widest, "small")] if widest else []), geometry)

    pdf = canvas.Canvas(
        io.BytesIO(), pagesize=(geometry.page_width, geometry.page_height), invariant=1, pageCompression=1
    )
    pdf.setTitle(content.title or content.qr_content)
    pdf.setCreator("nongsan")
    modules = _define_qr_form(pdf, content.qr_content)
    _define_text_form(pdf, geometry, placed[:-1] if bag_template else placed)
    spool = PageSpool(pdf)
    try:
        _draw_sheet(pdf, spool, geometry, bag_template, placed, modules, count, progress)
        spool.finish(out)
    finally:
        spool.close()


def _draw_sheet(
    pdf: canvas.Canvas,
    spool: PageSpool,
    geometry: LabelGeometry,
    bag_template: str,
    placed: list[_Placed],
    modules: int,
    count: int,
    progress: Callable[[int], None] | None,
) -> None:
    per_page = geometry.per_page
    for number in range(1, count + 1):
        index = (number - 1) % per_page
        x, y = geometry.origin(index)
        own = []
        if bag_template:
            last = placed[-1]
            own = [
                _Placed(
                    bag_template.format(number=number, count=count), last.font, last.size, last.grey, last.dx, last.dy
                )
            ]
        _draw_label(pdf, geometry, x, y, modules, own)
        if index == per_page - 1 or number == count:
            if number <= per_page:
                pdf.showPage()  # the first page stays in reportlab's document, with the forms and the fonts
            else:
                spool.take_page()
            if progress is not None:
                progress(number)
