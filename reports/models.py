"""The harvest rollup behind the supply reports, and when it was last refreshed.

The rollup holds harvested quantity at the grain the reports filter and group by (commodity, product, commune,
producer, certification, month), made in SQL from the event log by ``reports.rollup.refresh``. A harvest from
several plots is shared among them by area. Each cell is written once per certification it counts for: ``""``
(every harvest), ``any`` (from a plot certified on the harvest day) and each certificate type, so a report filters
by one value and never double counts.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db
from traceability.models._types import Quantity


class HarvestRollup(db.Model):
    __tablename__ = "report_harvest_rollup"
    __table_args__ = (Index("ix_report_harvest_rollup_cell", "certification", "ym", "commodity", "commune_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commodity: Mapped[str] = mapped_column(String(20))
    product: Mapped[str] = mapped_column(String(40))
    commune_code: Mapped[str] = mapped_column(String(10))
    producer_id: Mapped[int] = mapped_column(Integer)  # the organization holding the plot
    certification: Mapped[str] = mapped_column(String(24))  # "", "any" or a certificate type
    ym: Mapped[int] = mapped_column(Integer)  # harvest month, year * 100 + month
    quantity_kg: Mapped[Decimal] = mapped_column(Quantity)
    lots: Mapped[int] = mapped_column(Integer)  # harvest lots with a share in the cell


class RollupRefresh(db.Model):
    """One row per rollup: when it was refreshed and the last event it had seen."""

    __tablename__ = "report_refreshes"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    refreshed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_event_id: Mapped[int] = mapped_column(Integer, default=0)
    # What the rollup was built from (events, certificates, plots): a refresh with the same version does nothing.
    source_version: Mapped[str] = mapped_column(String(120), default="")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[Decimal] = mapped_column(Quantity, default=0)
