"""What the reports call commodities, products, communes and certifications, in the reader's language.

Rows keep the stable codes; these give the names shown beside them (a ``Message`` or a lazy string, translated
where it is shown).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from core.geo.services import get_commune
from core.messages import N_, Message
from traceability.catalog import PRODUCTS

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
