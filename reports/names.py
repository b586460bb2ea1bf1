"""What the reports call commodities, products, communes and certifications, in the reader's language.

Rows keep the stable codes; these give the names shown beside them (a ``Message`` or a lazy string, translated
where it is shown).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.geo.services import get_commune
from core.messages import N_, Message
from traceability.catalog import PRODUCTS, grade_label
from traceability.step_names import OPERATION_NAMES

COMMODITY_NAMES = {
    "cashew": Message("commodity_name", N_("cashew")),
    "pepper": Message("commodity_name", N_("pepper")),
    "rubber": Message("commodity_name", N_("rubber")),
}
CERTIFICATION_NAMES = {
    "vietgap": _l("VietGAP"),
    "globalgap": _l("GlobalGAP"),
    "organic": _l("Organic"),
    "rainforest_alliance": _l("Rainforest Alliance"),
    "fairtrade": _l("Fairtrade"),
    "other": _l("Other"),
    "any": _l("Any certificate"),
}
UNKNOWN_COMMUNE = _l("Unknown commune")


def commodity(code: str | None) -> Any:
    return COMMODITY_NAMES.get(code or "", code)


def product(code: str | None) -> Any:
    found = PRODUCTS.get(code or "")
    return found.name if found else code


def commune(code: str | None) -> Any:
    unit = get_commune(code) if code else None
    return unit.name if unit else UNKNOWN_COMMUNE


def certification(code: str | None) -> Any:
    return CERTIFICATION_NAMES.get(code or "", code)


def shown(value: Any) -> str:
    """A name as the reader reads it: a ``Message`` translated, a lazy string in the request's language."""
    from core.i18n import translate

    return translate(value) if isinstance(value, Message) else ("" if value is None else str(value))


# The marketplace's own words for its order statuses (the same msgids, so the same translations).
ORDER_STATUS_NAMES = {
    "pending_payment": _l("Waiting for the seller"),
    "paid": _l("Paid"),
    "accepted": _l("Accepted"),
    "shipped": _l("Shipped"),
    "delivered": _l("Delivered"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
    "expired": _l("Expired"),
    "refunded": _l("Refunded"),
    "partially_refunded": _l("Partly refunded"),
}
CORRECTION_REASONS = {
    "did_not_occur": _l("Did not happen"),
    "incorrect_data": _l("Wrong details"),
}
NO_GRADE = _l("No grade")


def order_status(code: str | None) -> Any:
    return ORDER_STATUS_NAMES.get(code or "", code)


def correction_reason(code: str | None) -> Any:
    return CORRECTION_REASONS.get(code or "", code)


OTHER_OPERATIONS = {"transform": _l("Transformed into another product"), "process": _l("Process step")}


def operation(code: str | None) -> Any:
    return OPERATION_NAMES.get(code or "") or OTHER_OPERATIONS.get(code or "", code)


def grade(product_code: str | None, code: str | None) -> Any:
    """A grade as traders write it (W240, SVR 10, 500 g/l); "no grade" when the lot has none."""
    return (grade_label(product_code, code) if product_code and code else None) or NO_GRADE
