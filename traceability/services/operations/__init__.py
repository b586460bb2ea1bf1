"""Split, merge and transform: operations that make new lots out of existing ones, each one transaction.

All three are recorded as one EPCIS TransformationEvent: the batches taken from
are its inputs and the new lots its outputs. EPCIS offers AggregationEvents for
packing into a container, but a lot split into lots (or lots pooled into one) is
not a container holding its contents: the parts are new lots with their own
codes, made from the quantity taken from the originals, and only a
TransformationEvent states "these outputs were made from those inputs", which is
what lineage and mass balance need. Split and merge use the CBV bizStep
``repackaging`` (the product itself is unchanged, ``repackaging.py``); a
transformation uses the processing step it is (shelling, drying, crumbling...,
``transformations.py``). The set of origin plots follows every output: the union
of its inputs' plots.
"""

from __future__ import annotations

from traceability.services.operations.common import MAX_INPUTS, MAX_OUTPUTS, MAX_PARTS, REPACKAGING
from traceability.services.operations.repackaging import merge, split
from traceability.services.operations.transformations import transform

__all__ = ["MAX_INPUTS", "MAX_OUTPUTS", "MAX_PARTS", "REPACKAGING", "merge", "split", "transform"]
