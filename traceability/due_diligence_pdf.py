"""The due-diligence information of a rubber lot as a PDF for people, in the reader's language.

Written as the supply report's PDF is (``reports/summary_pdf.py``): reportlab's platypus in DejaVu Sans (every
Vietnamese letter), built in memory; a lot has tens of plots at most, a few pages. Coordinates are not printed:
the GeoJSON file carries them, and a page of numbers helps nobody check a plot.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core import pdf_fonts
from core.db import utcnow
from core.i18n import day, moment, number, translate
from traceability import catalog

if TYPE_CHECKING:
    from traceability.services.eudr_package import DueDiligence, PackagePlot

CONTENT_TYPE = "application/pdf"
GRID = colors.HexColor("#999999")
HEADER = colors.HexColor("#e8f0e8")
GOOD = colors.HexColor("#1b5e20")
BAD = colors.HexColor("#b71c1c")


def _geolocation(plot: PackagePlot) -> str:
    kind = plot.plot.geometry_type
    if kind == "Point":
        return _("GPS point")
    if kind in ("Polygon", "MultiPolygon"):
        return _("Boundary")
    return _("None")


def _declaration(plot: PackagePlot) -> str:
    if not plot.plot.deforestation_free:
        return _("No declaration")
    when = plot.plot.deforestation_declared_at
    return _("Declared on %(date)s", date=day(when)) if when else _("Declared")


def _harvest(package: DueDiligence) -> str:
    start, end = package.harvest_start, package.harvest_end
    if start is None:
        return "–"
    if end is None or end == start:
        return day(start)
    return f"{day(start)} – {day(end)}"


def render(package: DueDiligence) -> bytes:
    pdf_fonts.register()
    body = ParagraphStyle("body", fontName=pdf_fonts.REGULAR, fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, textColor=colors.HexColor("#555555"))
    heading = ParagraphStyle("heading", parent=body, fontName=pdf_fonts.BOLD, fontSize=12, leading=16, spaceBefore=8)
    title = ParagraphStyle("title", parent=body, fontName=pdf_fonts.BOLD, fontSize=16, leading=20)
    batch, state = package.batch, package.readiness

    def text(value: object, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(str(value)), style)

    form = catalog.PRODUCTS[batch.product]
    grade = catalog.grade_label(batch.product, batch.grade)
    product = f"{form.name} ({translate(grade)})" if grade else str(form.name)
    operator = package.operator.name + (f", {package.operator_commune}" if package.operator_commune else "")
    facts = [
        (_("Lot"), batch.code),
        (_("Product"), product),
        (_("HS code"), f"{package.hs_code} – {package.hs_description}"),
        (_("Net mass"), f"{number(package.net_mass_kg, digits=4)} kg"),
        (_("Harvest period"), _harvest(package)),
        (_("Country of production"), _("Vietnam (VN)")),
        (_("Operator"), operator),
    ]
    fact_table = Table([[text(k, small), text(v)] for k, v in facts], colWidths=[45 * mm, None])
    fact_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    verdict = ParagraphStyle("verdict", parent=heading, textColor=GOOD if state.ready else BAD)
    story = [
        text(_("EUDR due diligence information"), title),
        text(_("Regulation (EU) 2023/1115 on deforestation-free products"), small),
        Spacer(1, 4 * mm),
        fact_table,
        text(_("EUDR: ready") if state.ready else _("EUDR: not ready"), verdict),
    ]
    story += [text(f"• {translate(problem.text())}") for problem in state.problems]
    story.append(text(_("Origin plots"), heading))
    if not package.plots:
        story.append(text(_("The lot has no origin plots."), body))
    else:
        columns = [_("Plot"), _("Producer"), _("Commune"), _("Area (ha)"), _("Geolocation"), _("Declaration")]
        cells = [[text(c, small) for c in columns]]
        for plot in package.plots:
            cells.append(
                [
                    text(f"{plot.plot.name} (#{plot.plot.id})"),
                    text(plot.producer_name),
                    text(plot.commune or plot.plot.commune_code),
                    text(number(plot.plot.area_ha, digits=4)),
                    text(_geolocation(plot)),
                    text(_declaration(plot)),
                ]
            )
        table = Table(cells, repeatRows=1, colWidths=[36 * mm, 32 * mm, 36 * mm, 20 * mm, 24 * mm, 32 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, GRID),
                    ("BACKGROUND", (0, 0), (-1, 0), HEADER),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    story += [
        Spacer(1, 3 * mm),
        text(
            _(
                "A declaration says the plot's land was not deforested after 31 December 2020. The plots' "
                "coordinates are in the lot's GeoJSON file for the EU Information System."
            ),
            small,
        ),
        text(_("Made on %(time)s.", time=moment(utcnow())), small),
    ]
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm
    )
    document.title = _("EUDR due diligence information: lot %(code)s", code=batch.code)
    document.build(story)
    return out.getvalue()
