"""Charts of the reports, drawn on the server as SVG with pygal: no JavaScript, no file fetched by the browser.

Each chart reads one ``Table`` and is followed on the page by that table's numbers. Labels are in the reader's
language and numbers in their format (``core.i18n.number``); pygal's own scripts are switched off (``js=[]``) so the
SVG is static and works without JavaScript.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import pygal
from markupsafe import Markup
from pygal.style import Style

from core.i18n import number
from core.web_security import style_nonce
from reports import names
from reports.tables import Table

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1f2a1f",
    foreground_strong="#1f2a1f",
    foreground_subtle="#6b776b",
    colors=("#2e7d32", "#b26a00", "#1565c0", "#8e24aa", "#c62828", "#00838f"),
    font_family="system-ui, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
)


def _config(title: Any) -> dict:
    return dict(
        title=names.shown(title),
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        width=720,
        height=360,
        legend_at_bottom=True,
        print_values=False,
        value_formatter=lambda value: number(value, digits=1),
        show_minor_x_labels=True,
        truncate_legend=-1,
        truncate_label=-1,
    )


# pygal writes its settings into an inline <script> even with js=[]; the chart is static without it, and the
# pages' Content-Security-Policy would refuse it anyway.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


def svg(chart) -> Markup:
    """The chart as inline SVG under the pages' Content-Security-Policy: its <style> (made per chart) carries the
    response's nonce, and the one style attribute pygal writes (the tooltip's) becomes a presentation attribute."""
    drawn = _SCRIPT.sub("", chart.render(is_unicode=True))
    drawn = drawn.replace('<style type="text/css">', f'<style type="text/css" nonce="{style_nonce()}">')
    return Markup(drawn.replace('style="opacity: 0"', 'opacity="0"'))


def over_time(table: Table) -> Markup | None:
    """One line of kg per commodity across the periods (harvested_over_time)."""
    if not table.rows:
        return None
    periods = sorted({row["period"] for row in table.rows})
    series: dict[str, dict[str, float]] = defaultdict(dict)
    for row in table.rows:
        series[names.shown(row["commodity_name"])][row["period"]] = float(row["quantity_kg"])
    chart = pygal.Bar(**_config(table.title), x_title="kg")
    chart.x_labels = periods
    for name, values in series.items():
        chart.add(name, [values.get(period) for period in periods])
    return svg(chart)


def by_commune(table: Table) -> Markup | None:
    """Each commune's kg, stacked by commodity (harvested_by_commune)."""
    if not table.rows:
        return None
    communes = sorted({names.shown(row["commune"]) for row in table.rows})
    series: dict[str, dict[str, float]] = defaultdict(dict)
    for row in table.rows:
        series[names.shown(row["commodity_name"])][names.shown(row["commune"])] = float(row["quantity_kg"])
    chart = pygal.HorizontalStackedBar(**_config(table.title))
    chart.x_labels = communes
    for name, values in series.items():
        chart.add(name, [values.get(commune) for commune in communes])
    return svg(chart)


def shares(table: Table, label_key: str) -> Markup | None:
    """Shares as percentages, one bar per row (certified_area, certified_quantity)."""
    rows = [row for row in table.rows if row.get("share") is not None]
    if not rows:
        return None
    config = _config(table.title)
    config["value_formatter"] = lambda value: f"{number(value, digits=1)} %"
    chart = pygal.HorizontalBar(**config, range=(0, 100))
    for row in rows:
        chart.add(names.shown(row[label_key]), [float(row["share"]) * 100])
    return svg(chart)


CHARTS = {
    "harvested_over_time": over_time,
    "harvested_by_commune": by_commune,
    "certified_area": lambda table: shares(table, "certification_name"),
    "certified_quantity": lambda table: shares(table, "certification_name"),
}


def chart_of(table: Table) -> Markup | None:
    draw = CHARTS.get(table.key)
    return draw(table) if draw else None
