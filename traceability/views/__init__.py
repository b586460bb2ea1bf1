"""Traceability pages for producers (plots, batches, steps), on a phone with a weak signal."""

from flask import Blueprint

bp = Blueprint("traceability", __name__)

from traceability.views import batches, labels, operations, plots, public  # noqa: E402,F401  (routes register on bp)
