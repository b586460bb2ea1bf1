"""Traceability records, shaped after GS1 EPCIS 2.0 from the first table on.

Plots and certificates say where produce grows; batches (lots) are what moves;
events are the append-only log of what happened to batches. Lineage edges and
origin-plot sets are written by the same transaction as the event that causes them.
"""

from traceability.models.batches import Batch, BatchLink, BatchPlot, BatchStatus, Shipment, ShipmentStatus
from traceability.models.epcis import CapturedClass, CaptureJob, CaptureStatus
from traceability.models.events import ErrorDeclaration, Event, EventQuantity, EventType, QuantityRole
from traceability.models.gtins import GtinRegistration
from traceability.models.integrity import LedgerAudit, LedgerFinding
from traceability.models.labels import LabelFormat, LabelJob, LabelJobStatus
from traceability.models.plots import Certificate, CertificatePlot, CertificateType, Plot, VerificationState
from traceability.models.recalls import Recall, RecalledBatch
from traceability.models.scans import BatchScanDay

__all__ = [
    "Batch",
    "BatchLink",
    "BatchPlot",
    "BatchScanDay",
    "BatchStatus",
    "CaptureJob",
    "CaptureStatus",
    "CapturedClass",
    "Certificate",
    "CertificatePlot",
    "CertificateType",
    "ErrorDeclaration",
    "Event",
    "EventQuantity",
    "EventType",
    "GtinRegistration",
    "LabelFormat",
    "LabelJob",
    "LabelJobStatus",
    "LedgerAudit",
    "LedgerFinding",
    "Plot",
    "QuantityRole",
    "Recall",
    "RecalledBatch",
    "Shipment",
    "ShipmentStatus",
    "VerificationState",
]
