"""Administrative units after the 2025 reform: provinces, communes/wards, addresses.

Since 1 July 2025 Vietnam has two tiers, province → commune/ward; districts are gone.
Addresses are stored as a commune code plus a street line, never as free text with a
district. Codes are GSO codes as strings with leading zeros (province "75", commune
"25195"); functions also accept them as integers.

Provinces and communes come from ``vietnam-provinces`` (loaded once per process, ~0.2 s).
Old addresses are matched with ``vietnam-address-converter``, whose first use costs
8-12 s: call ``warm_up()`` at start-up (see ``core.geo.matching``).
"""

from __future__ import annotations

from flask_babel import gettext as _

from core.errors import NotFound, ValidationError
from core.geo import messages
from core.geo.matching import HOME_PROVINCE_CODE, AddressMatch, resolve_old_address, warm_up
from core.geo.names import clean
from core.geo.units import COMMUNE_CODE_WIDTH, PROVINCE_CODE_WIDTH, Unit, normalize_code, registry

__all__ = [
    "DEFAULT_PROVINCE_CODE",
    "DEMO_COMMUNES",
    "AddressMatch",
    "Unit",
    "find_commune",
    "format_address",
    "get_commune",
    "get_province",
    "list_communes",
    "list_provinces",
    "match_old_address",
    "require_commune",
    "warm_up",
]

DEFAULT_PROVINCE_CODE = HOME_PROVINCE_CODE  # Đồng Nai, which absorbed Bình Phước in 2025
MAX_ADDRESS_LENGTH = 300

# Communes of the former Bình Phước that the demo data uses (GSO codes, province 75).
# The former Đồng Xoài city centre (old wards Tân Phú, Tân Bình, Tân Đồng, Tân Xuân, Tân
# Thiện, Tiến Hưng) is Phường Bình Phước; Phường Đồng Xoài is the former Tiến Thành and
# Tân Thành, south of the centre.
DEMO_COMMUNES = {
    "bu_gia_map": "25222",  # Xã Bù Gia Mập
    "loc_ninh": "25270",  # Xã Lộc Ninh
    "phu_rieng": "25264",  # Xã Phú Riềng
    "binh_phuoc": "25195",  # Phường Bình Phước
    "dong_xoai": "25210",  # Phường Đồng Xoài
}


def list_provinces() -> list[Unit]:
    """The 34 provinces and centrally governed cities, in Vietnamese alphabetical order."""
    return list(registry().provinces)


def get_province(code: object) -> Unit | None:
    normalized = normalize_code(code, PROVINCE_CODE_WIDTH)
    return registry().province_by_code.get(normalized) if normalized else None


def list_communes(province_code: object) -> list[Unit]:
    """The communes, wards and special zones of a province; ``NotFound`` for an unknown one."""
    province = get_province(province_code)
    if province is None:
        raise NotFound(messages.PROVINCE_NOT_FOUND(code=str(province_code)))
    return list(registry().communes_by_province[province.code])


def get_commune(code: object) -> Unit | None:
    normalized = normalize_code(code, COMMUNE_CODE_WIDTH)
    return registry().commune_by_code.get(normalized) if normalized else None


def find_commune(code: object) -> Unit:
    """The commune with this code; ``NotFound`` when there is none (for lookups by URL)."""
    commune = get_commune(code)
    if commune is None:
        raise NotFound(messages.COMMUNE_NOT_FOUND(code=str(code)))
    return commune


def require_commune(code: object) -> Unit:
    """The commune for a submitted code, or a ``ValidationError`` on ``commune_code``."""
    commune = get_commune(code)
    if commune is None:
        raise ValidationError(
            messages.COMMUNE_CODE_UNKNOWN(code=str(code)),
            errors={"commune_code": [_("Choose a commune or ward from the list.")]},
        )
    return commune


def format_address(commune_code: object, street: str | None = None) -> str:
    """'12 Trần Hưng Đạo, Phường Bình Phước, Tỉnh Đồng Nai' (the street may be empty)."""
    commune = require_commune(commune_code)
    province = registry().province_full_name[commune.province_code or ""]
    return ", ".join(part for part in (clean(street or ""), commune.name, province) if part)


def match_old_address(text: str | None) -> AddressMatch:
    """The new commune for an address written the old way, or the candidates to choose from.

    "xã Lộc Thái, huyện Lộc Ninh, Bình Phước" → matched Xã Lộc Ninh (25270); "xã Tân Lập"
    (in many old districts) → ambiguous, with Đồng Nai's candidates first; the street part,
    if any, comes back in ``street``. The first call in a process may take 8-12 s unless
    ``warm_up()`` ran.
    """
    address = clean(text or "")
    if not address:
        raise ValidationError(messages.ADDRESS_EMPTY, errors={"address": [_("Type the old address.")]})
    if len(address) > MAX_ADDRESS_LENGTH:
        raise ValidationError(
            messages.ADDRESS_TOO_LONG(limit=MAX_ADDRESS_LENGTH),
            errors={"address": [_("The address is too long.")]},
        )
    return resolve_old_address(address)
