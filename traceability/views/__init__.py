"""Traceability pages for producers (plots, batches, steps), on a phone with a weak signal.

The producers' pages share one blueprint, ``bp``; each page module adds its routes to it when imported, which
``blueprints()`` does for the domain's ``init_app``. The public trace page and the GS1 resolver have their own.
"""

from __future__ import annotations

from importlib import import_module

from flask import Blueprint

bp = Blueprint("traceability", __name__)
PAGE_MODULES = ("batches", "labels", "operations", "plots", "public")


def blueprints() -> list[Blueprint]:
    """Every traceability page blueprint, its routes added."""
    for name in PAGE_MODULES:
        import_module(f"{__name__}.{name}")
    from traceability.views.resolver import bp as resolver
    from traceability.views.trace import bp as trace

    return [bp, resolver, trace]
