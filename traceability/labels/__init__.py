"""Printable bag labels as PDF (reportlab): the QR code and the lot's facts, Vietnamese first, English below.

Pure drawing: the caller (``traceability.services.labels``) gathers the texts
in both languages and the QR content; nothing here reads the database or the
request. The font is DejaVu Sans, shipped in ``static/fonts`` and embedded in
every PDF, so Vietnamese diacritics print on any printer and nothing is
downloaded at run time.
"""

from traceability.labels.layout import FORMATS, LabelGeometry, labels_per_page, page_count
from traceability.labels.render import LabelContent, Line, render_labels, write_labels

__all__ = [
    "FORMATS",
    "LabelContent",
    "LabelGeometry",
    "Line",
    "labels_per_page",
    "page_count",
    "render_labels",
    "write_labels",
]
