"""Where labels sit on a page and how big their parts are, per format.

- ``a4``: 3 × 8 labels of 70 × 37.1 mm filling an A4 sheet edge to edge, the
  common "24 per sheet" pre-cut label paper; the QR code on the left, the text on
  the right. Content keeps 2.5 mm from the label's edges, which also keeps it
  inside the unprintable margin of most office printers.
- ``thermal``: one 100 × 150 mm label per page (the usual shipping-label roll of
  thermal printers); a large QR code on top, the text below it.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm


@dataclass(frozen=True)
class TextStyle:
    size: float  # points
    bold: bool = False
    grey: bool = False


@dataclass(frozen=True)
class LabelGeometry:
    page_width: float  # points
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    padding: float
    qr_size: float
    qr_on_top: bool  # thermal: QR above the text; a4: QR left of the text
    styles: dict[str, TextStyle]
    min_font_size: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def origin(self, index_on_page: int) -> tuple[float, float]:
        """Lower-left corner of the label at ``index_on_page`` (filled row by row from the top left)."""
        row, column = divmod(index_on_page, self.columns)
        x = column * self.label_width
        y = self.page_height - (row + 1) * self.label_height
        return x, y


FORMATS: dict[str, LabelGeometry] = {
    "a4": LabelGeometry(
        page_width=A4[0],
        page_height=A4[1],
        columns=3,
        rows=8,
        label_width=A4[0] / 3,
        label_height=A4[1] / 8,
        padding=2.5 * mm,
        qr_size=30 * mm,
        qr_on_top=False,
        styles={
            "title": TextStyle(7.5, bold=True),
            "body": TextStyle(6.5),
            "english": TextStyle(5.5, grey=True),
            "caption": TextStyle(5, grey=True),
            "small": TextStyle(5, grey=True),
        },
        min_font_size=4,
    ),
    "thermal": LabelGeometry(
        page_width=100 * mm,
        page_height=150 * mm,
        columns=1,
        rows=1,
        label_width=100 * mm,
        label_height=150 * mm,
        padding=6 * mm,
        qr_size=62 * mm,
        qr_on_top=True,
        styles={
            "title": TextStyle(15, bold=True),
            "body": TextStyle(11.5),
            "english": TextStyle(9.5, grey=True),
            "caption": TextStyle(8.5, grey=True),
            "small": TextStyle(8.5, grey=True),
        },
        min_font_size=6,
    ),
}


def labels_per_page(fmt: str) -> int:
    return FORMATS[fmt].per_page


def page_count(fmt: str, count: int) -> int:
    per_page = labels_per_page(fmt)
    return -(-count // per_page)
