"""Batches: harvest (commissioning a lot from plots), process steps, and reading batches and their events.

A harvest is an EPCIS ObjectEvent ADD with bizStep ``commissioning`` (CBV has no
"harvesting"; commissioning covers it) whose output quantity brings the new lot
into being (``harvest.py``). A process step is an ObjectEvent OBSERVE; a step that
loses weight (drying) records the loss as an input taken out of the batch — a step
never adds (``steps.py``). ``lots.py`` makes lots and reads them.
"""

from __future__ import annotations

from traceability.services.batches.harvest import (
    CheckedHarvest,
    build_harvest,
    check_harvest,
    commission_harvests,
    record_harvest,
)
from traceability.services.batches.lots import (
    CODE_ATTEMPTS,
    add_plots,
    batch_events,
    get_batch,
    list_batches,
    mark_consumed_if_empty,
    new_batch,
    plot_ids_of,
    plots_for_harvest,
    require_same_custodian,
    unique_batch_code,
)
from traceability.services.batches.steps import record_step, record_step_with_photo

__all__ = [
    "CODE_ATTEMPTS",
    "CheckedHarvest",
    "add_plots",
    "batch_events",
    "build_harvest",
    "check_harvest",
    "commission_harvests",
    "get_batch",
    "list_batches",
    "mark_consumed_if_empty",
    "new_batch",
    "plot_ids_of",
    "plots_for_harvest",
    "record_harvest",
    "record_step",
    "record_step_with_photo",
    "require_same_custodian",
    "unique_batch_code",
]
