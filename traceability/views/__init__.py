"""Traceability pages for producers (plots, batches, steps), on a phone with a weak signal.

The producers' pages share one blueprint, ``bp``; each page module adds its routes to it when imported, which
``blueprints()`` does for the domain's ``init_app``. The public trace page and the GS1 resolver have their own.
"""

from __future__ import annotations

from importlib import import_module

from flask import Blueprint

from core.messages import N_
from core.navigation import OFFICER, PRODUCER, MenuItem

bp = Blueprint("traceability", __name__)
PAGE_MODULES = ("batches", "department", "labels", "operations", "plots", "public", "welcome")
_PRODUCER = frozenset({PRODUCER})
_OFFICER = frozenset({OFFICER})
# A producer's most used pages sit in the menu row; an officer's are the department's queues.
MENU_ITEMS = (
    MenuItem("traceability.batch_list", N_("Lots"), _PRODUCER, primary=_PRODUCER, order=10),
    MenuItem("traceability.plot_list", N_("Plots"), _PRODUCER, primary=_PRODUCER, order=11),
    MenuItem("traceability.harvest_new", N_("Harvest"), _PRODUCER, primary=_PRODUCER, order=12),
    MenuItem("traceability.shipment_list", N_("Shipments"), _PRODUCER, order=30),
    MenuItem("traceability.first_steps", N_("First steps"), _PRODUCER, order=85),
    MenuItem("traceability.certificate_queue", N_("Certificates"), _OFFICER, primary=_OFFICER, order=11),
    MenuItem("traceability.recall_list", N_("Recalls"), _OFFICER, primary=_OFFICER, order=12),
)


def blueprints() -> list[Blueprint]:
    """Every traceability page blueprint, its routes added."""
    for name in PAGE_MODULES:
        import_module(f"{__name__}.{name}")
    from traceability.views.resolver import bp as resolver
    from traceability.views.trace import bp as trace

    return [bp, resolver, trace]
