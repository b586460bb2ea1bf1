"""Errors the traceability services raise; core.errors maps them to HTTP."""

from __future__ import annotations

from decimal import ROUND_UP, Decimal

from core.errors import Conflict, NotFound, ValidationError
from traceability.messages import (
    EUDR_GEOJSON_TOO_LARGE,
    EUDR_NOT_APPLICABLE,
    NO_BATCH_WITH_CODE,
    YIELD_OUT_OF_BAND,
    YIELD_OUTSIDE_BAND,
)


class BatchNotFoundError(NotFound):
    code = "batch_not_found"

    def __init__(self, code: str):
        super().__init__(NO_BATCH_WITH_CODE(code=repr(code)))  # repr: the code as typed, quoted as before


class MassBalanceError(ValidationError):
    """More was asked of a batch than it has left."""

    code = "mass_balance"


class BatchNotActiveError(Conflict):
    """The batch is in transit, used up or recalled, so it cannot be acted on now."""

    code = "batch_not_active"


class ClaimedQuantityError(Conflict, ValidationError):
    """What was asked of a lot is promised elsewhere (an open market order): 409, with field errors for the form."""

    code = "quantity_claimed"


class YieldOutOfBandError(ValidationError):
    """A transformation's yield (kg out per kg in, dry basis for latex) is outside its commodity's band, and no
    reason was given to record it anyway."""

    code = "yield_out_of_band"

    def __init__(self, *, ratio: Decimal, low: Decimal, high: Decimal, input_product: str, output_product: str):
        shown = ratio.quantize(Decimal("0.001")) if ratio.is_finite() else "∞"
        field = YIELD_OUTSIDE_BAND(ratio=shown, low=low, high=high, input=input_product, output=output_product)
        super().__init__(YIELD_OUT_OF_BAND, errors={"outputs": [field]})
        self.ratio, self.band = ratio, (low, high)


class EudrNotApplicableError(Conflict):
    """An EUDR package was asked of a lot the regulation does not cover (cashew, pepper): 409, like any operation the
    lot itself refuses; the problem names the lot's ``commodity``."""

    code = "eudr_not_applicable"

    def __init__(self, *, batch_code: str, commodity: str):
        super().__init__(EUDR_NOT_APPLICABLE(code=batch_code, commodity=commodity), commodity=commodity)


class GeolocationTooLargeError(Conflict):
    """The lot's GeoJSON would be larger than the EU Information System accepts: it is refused rather than sent to
    be rejected there. The problem gives ``size_bytes`` and ``limit_bytes``."""

    code = "eudr_geojson_too_large"

    def __init__(self, *, batch_code: str, size_bytes: int, limit_bytes: int):
        # Up to the next tenth, so that a file just over the limit never reads as the limit itself.
        size = (Decimal(size_bytes) / 1_000_000).quantize(Decimal("0.1"), rounding=ROUND_UP)
        detail = EUDR_GEOJSON_TOO_LARGE(code=batch_code, size=size, limit=Decimal(limit_bytes) / 1_000_000)
        super().__init__(detail, size_bytes=size_bytes, limit_bytes=limit_bytes)
