"""EUDR readiness of rubber lots: no mass balance, every plot behind the lot must be compliant.

A rubber lot is ready only when it is not of unknown origin and every plot in its
origin set (which follows every split, merge and transformation) has geolocation
good enough for the EU Information System (a polygon above 4 ha) and a
no-deforestation declaration. Cashew and pepper are outside the regulation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from core.accounts.models import User
from core.extensions import db
from core.messages import Message
from traceability.geometry import eudr_plot_status
from traceability.messages import EUDR_NO_PLOTS, EUDR_PLOT_PROBLEM, EUDR_UNKNOWN_ORIGIN
from traceability.models import Batch, BatchPlot, Plot
from traceability.services.access import readable_batch

COVERED_COMMODITIES = ("rubber",)
REASON_UNKNOWN_ORIGIN = EUDR_UNKNOWN_ORIGIN
REASON_NO_PLOTS = EUDR_NO_PLOTS


@dataclass(frozen=True)
class Problem:
    message: str  # an English msgid (a Message, or the plain msgid geometry gives); pages translate it
    plot_id: int | None = None
    plot_name: str | None = None

    def text(self) -> Message:
        """The problem, naming its plot: English as a ``str``, translated by ``core.i18n.translate``."""
        message = self.message if isinstance(self.message, Message) else Message("eudr_plot", self.message)
        if self.plot_id is None:
            return message
        return EUDR_PLOT_PROBLEM(
            name=self.plot_name, id=str(self.plot_id), problem=message
        )  # an id, not a number to group


@dataclass(frozen=True)
class Readiness:
    applicable: bool
    ready: bool | None  # None when the EUDR does not apply
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def reasons(self) -> list[str]:
        return [problem.text() for problem in self.problems]


NOT_APPLICABLE = Readiness(applicable=False, ready=None)


def readiness_many(batches: Iterable[Batch]) -> dict[int, Readiness]:
    """Readiness of each batch (by id), with the plots of all rubber lots loaded in one query."""
    batches = list(batches)
    covered = [b for b in batches if b.commodity in COVERED_COMMODITIES]
    plots_of: dict[int, list[Plot]] = defaultdict(list)
    if covered:
        rows = db.session.execute(
            select(BatchPlot.batch_id, Plot)
            .join(Plot, Plot.id == BatchPlot.plot_id)
            .where(BatchPlot.batch_id.in_([b.id for b in covered]))
            .order_by(Plot.id)
        )
        for batch_id, plot in rows:
            plots_of[batch_id].append(plot)
    result = {b.id: NOT_APPLICABLE for b in batches}
    for batch in covered:
        problems: list[Problem] = []
        if batch.unknown_origin:
            problems.append(Problem(REASON_UNKNOWN_ORIGIN))
        elif not plots_of[batch.id]:
            problems.append(Problem(REASON_NO_PLOTS))
        for plot in plots_of[batch.id]:
            _ok, reasons = eudr_plot_status(plot)
            problems.extend(Problem(reason, plot.id, plot.name) for reason in reasons)
        result[batch.id] = Readiness(applicable=True, ready=not problems, problems=tuple(problems))
    return result


def readiness(batch: Batch) -> Readiness:
    return readiness_many([batch])[batch.id]


def batch_readiness(user: User | None, code: str) -> tuple[Batch, Readiness]:
    batch = readable_batch(user, code)
    return batch, readiness(batch)
