"""Marshmallow schemas of the traceability API (one module per resource)."""
