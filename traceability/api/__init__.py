"""The traceability JSON API: one flask-smorest blueprint per resource, registered under /api/v1."""

from __future__ import annotations


def blueprints() -> list:
    """Every traceability API blueprint (imported here so that create_app registers them all)."""
    from traceability.api import batches, certificates, epcis, eudr, imports, labels, operations, plots, recalls, scans

    return [
        plots.blp,
        certificates.blp,
        imports.blp,
        batches.blp,
        operations.blp,
        labels.blp,
        recalls.blp,
        scans.blp,
        epcis.blp,
        eudr.blp,
    ]
