"""The period summary of the supply section as a PDF for people: each table with its figures, in their language.

Written with reportlab's platypus in DejaVu Sans (shipped in ``static/fonts``, with every Vietnamese letter).
The tables are aggregates, a few pages at most, so the document is built in memory.
"""

from __future__ import annotations

import io

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core import pdf_fonts
from core.i18n import day, moment, number
from reports import names
from reports.tables import CODE, COUNT, DATE, HA, KG, RATIO, SHARE, VND, VND_PER_KG
from reports.tables import Table as Report

CONTENT_TYPE = "application/pdf"


def _text(kind: str, value) -> str:
    if value is None:
        return "–"
    if kind in (KG, HA):
        return number(value, digits=1)
    if kind == COUNT:
        return number(value)
    if kind == SHARE:
        return f"{number(value * 100, digits=1)} %"
    if kind == RATIO:
        return number(value, digits=3)
    if kind in (VND, VND_PER_KG):
        return number(value, digits=0)
    if kind == DATE:
        return day(value)
    return names.shown(value)


def render(reports: list[Report], *, period_text: str) -> bytes:
    pdf_fonts.register()
    body = ParagraphStyle("body", fontName=pdf_fonts.REGULAR, fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, textColor=colors.HexColor("#555555"))
    heading = ParagraphStyle("heading", parent=body, fontName=pdf_fonts.BOLD, fontSize=12, leading=16, spaceBefore=8)
    title = ParagraphStyle("title", parent=body, fontName=pdf_fonts.BOLD, fontSize=16, leading=20)
    story = [
        Paragraph(_("Supply report of the Department of Agriculture and Environment"), title),
        Paragraph(_("Period: %(period)s", period=period_text), body),
        Spacer(1, 4 * mm),
    ]
    for report in reports:
        story.append(Paragraph(names.shown(report.title), heading))
        if report.freshness and report.freshness.refreshed_at:
            story.append(Paragraph(_("Figures as of %(time)s.", time=moment(report.freshness.refreshed_at)), small))
        columns = [c for c in report.columns if c.kind != CODE]
        if not report.rows:
            story.append(Paragraph(_("No figures for these filters."), body))
            continue
        cells = [[Paragraph(names.shown(c.label), small) for c in columns]]
        cells += [[Paragraph(_text(c.kind, row.get(c.key)), body) for c in columns] for row in report.rows]
        table = Table(cells, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0e8")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
        if report.note is not None:
            story.append(Paragraph(names.shown(report.note), small))
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm
    )
    document.title = _("Supply report")
    document.build(story)
    return out.getvalue()
