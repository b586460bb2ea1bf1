"""The filters every report takes, parsed from a query string: commodity, product, commune, period, certification.

Every bad filter is named at once (one ``ValidationError`` with a coded message per field), so the API answers one
RFC 7807 problem and the dashboard shows each message beside its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from core.errors import ValidationError
from core.geo.services import DEFAULT_PROVINCE_CODE, get_commune
from reports import periods
from reports.messages import (
    CERTIFICATION_UNKNOWN,
    COMMODITY_UNKNOWN,
    COMMUNE_UNKNOWN,
    FILTERS_INVALID,
    PRODUCT_NOT_OF_COMMODITY,
    PRODUCT_UNKNOWN,
)
from reports.periods import Period
from traceability.catalog import COMMODITIES, PRODUCTS
from traceability.models import CertificateType

ANY = "any"  # certified by any certificate
CERTIFICATIONS = (*[t.value for t in CertificateType], ANY)
ALL_TIME = "all"


@dataclass(frozen=True)
class Filters:
    commodity: str | None = None
    product: str | None = None
    commune_code: str | None = None
    period: Period | None = None  # None: all time
    certification: str | None = None  # a CertificateType value or ANY

    def without(self, **fields) -> Filters:
        return replace(self, **dict.fromkeys(fields))

    def as_query(self) -> dict[str, str]:
        """The filters as query parameters (for links to downloads and to the same report)."""
        query = {
            "commodity": self.commodity,
            "product": self.product,
            "commune": self.commune_code,
            "period": self.period.code if self.period else ALL_TIME,
            "certification": self.certification,
        }
        return {key: value for key, value in query.items() if value}


def parse(args: Mapping[str, str], *, today: date) -> Filters:
    """The filters in ``args`` (empty values ignored); the period defaults to the current crop season."""
    errors: dict[str, list] = {}

    def given(name: str) -> str | None:
        value = args.get(name)
        return value.strip() if isinstance(value, str) and value.strip() else None

    commodity = given("commodity")
    if commodity is not None and commodity not in COMMODITIES:
        errors["commodity"] = [COMMODITY_UNKNOWN(value=commodity)]
    product = given("product")
    if product is not None:
        if product not in PRODUCTS:
            errors["product"] = [PRODUCT_UNKNOWN(value=product)]
        elif commodity and commodity in COMMODITIES and PRODUCTS[product].commodity != commodity:
            errors["product"] = [PRODUCT_NOT_OF_COMMODITY(product=product, commodity=commodity)]
    commune_code = given("commune")
    if commune_code is not None:
        unit = get_commune(commune_code) if commune_code.isdigit() else None
        if unit is None or unit.province_code != DEFAULT_PROVINCE_CODE:
            errors["commune"] = [COMMUNE_UNKNOWN(value=commune_code)]
        else:
            commune_code = unit.code
    period: Period | None = periods.current_season(today)
    text = given("period")
    if text is not None and text.lower() == ALL_TIME:
        period = None
    elif text is not None:
        try:
            period = periods.parse(text)
        except ValueError as error:
            errors["period"] = [error.args[0]]
    certification = given("certification")
    if certification is not None and certification not in CERTIFICATIONS:
        errors["certification"] = [CERTIFICATION_UNKNOWN(value=certification)]
    if errors:
        raise ValidationError(FILTERS_INVALID, errors=errors)
    return Filters(commodity, product, commune_code, period, certification)
