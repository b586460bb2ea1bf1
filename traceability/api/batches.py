"""Batches, events, operations (split, merge, transform, ship, receive, correct), lineage and verification."""

from flask_smorest import Blueprint

import traceability.models  # noqa: F401  (the tables must be known to create_app)

blp = Blueprint("batches", __name__, description="Batches, events, lineage and verification")
