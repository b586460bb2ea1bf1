"""The 34 provinces and their communes/wards since 1 July 2025, from ``vietnam-provinces``.

Codes are the GSO codes as strings with their leading zeros: provinces have two digits
("75" is Đồng Nai, "01" Hà Nội) and communes five ("25195" is Phường Bình Phước). The
package builds its tables at import (about 0.1 s); we index them once per process.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from core.geo.names import clean, fold, name_key, split_unit_prefix, vietnamese_sort_key

PROVINCE_CODE_WIDTH = 2
COMMUNE_CODE_WIDTH = 5


@dataclass(frozen=True)
class Unit:
    """A province, or a commune/ward with the province it belongs to.

    ``name`` is the official Vietnamese name with diacritics ("Xã Lộc Ninh", "Đồng Nai");
    ``codename`` is the package's ASCII form ("xa_loc_ninh"), usable where diacritics are not.
    """

    code: str
    name: str
    codename: str
    province_code: str | None = None
    province_name: str | None = None


@dataclass(frozen=True)
class Registry:
    provinces: tuple[Unit, ...]
    province_by_code: dict[str, Unit]
    province_by_key: dict[str, Unit]
    province_full_name: dict[str, str]
    communes_by_province: dict[str, tuple[Unit, ...]]
    commune_by_code: dict[str, Unit]
    # (province code, full name) exactly, then with diacritics folded: the packages differ
    # in tone-mark placement, but folding alone would merge Xã Lộc Thành and Xã Lộc Thạnh.
    commune_by_exact_name: dict[tuple[str, str], Unit]
    communes_by_folded_name: dict[tuple[str, str], tuple[Unit, ...]]
    communes_by_name_key: dict[str, tuple[Unit, ...]]


def normalize_code(value: object, width: int) -> str | None:
    """'75', 75 or ' 075 ' → '75' (width 2); None for anything that is not a number."""
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or not text.isascii():
        return None
    return str(int(text)).zfill(width)


def _sort_key(unit: Unit) -> tuple:
    # Alphabetical by the name people look for ("Lộc Ninh"), not by the unit word.
    return vietnamese_sort_key(split_unit_prefix(unit.name)[2]), vietnamese_sort_key(unit.name)


@lru_cache(maxsize=1)
def registry() -> Registry:
    from vietnam_provinces import Province, VietNamDivisionType, Ward

    province_by_code: dict[str, Unit] = {}
    province_full_name: dict[str, str] = {}
    for province in Province.iter_all():
        code = str(int(province.code)).zfill(PROVINCE_CODE_WIDTH)
        province_by_code[code] = Unit(code=code, name=clean(province.name), codename=province.codename)
        # Centrally governed cities already carry "Thành phố" in their name.
        is_tinh = province.division_type == VietNamDivisionType.TINH
        province_full_name[code] = f"Tỉnh {clean(province.name)}" if is_tinh else clean(province.name)

    grouped: dict[str, list[Unit]] = defaultdict(list)
    for ward in Ward.iter_all():
        province_code = str(int(ward.province_code)).zfill(PROVINCE_CODE_WIDTH)
        grouped[province_code].append(
            Unit(
                code=str(int(ward.code)).zfill(COMMUNE_CODE_WIDTH),
                name=clean(ward.name),  # the package has stray double spaces
                codename=ward.codename,
                province_code=province_code,
                province_name=province_by_code[province_code].name,
            )
        )

    communes_by_province = {code: tuple(sorted(grouped[code], key=_sort_key)) for code in province_by_code}
    commune_by_code = {unit.code: unit for units in communes_by_province.values() for unit in units}
    folded: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    by_key: dict[str, list[Unit]] = defaultdict(list)
    for unit in commune_by_code.values():
        folded[(unit.province_code or "", fold(unit.name))].append(unit)
        by_key[name_key(unit.name)].append(unit)
    return Registry(
        provinces=tuple(sorted(province_by_code.values(), key=_sort_key)),
        province_by_code=province_by_code,
        province_by_key={name_key(unit.name): unit for unit in province_by_code.values()},
        province_full_name=province_full_name,
        communes_by_province=communes_by_province,
        commune_by_code=commune_by_code,
        commune_by_exact_name={
            (unit.province_code or "", unit.name.lower()): unit for unit in commune_by_code.values()
        },
        communes_by_folded_name={key: tuple(units) for key, units in folded.items()},
        communes_by_name_key={key: tuple(units) for key, units in by_key.items()},
    )


def province_by_name(name: str) -> Unit | None:
    """'Tỉnh Đồng Nai', 'Dong Nai' or 'TP Hồ Chí Minh' → the province, by name alone."""
    return registry().province_by_key.get(name_key(name))


def commune_by_name(province_code: str, full_name: str) -> Unit | None:
    """The commune of this province called ``full_name`` (with its unit word: 'Xã Lộc Ninh')."""
    reg = registry()
    exact = reg.commune_by_exact_name.get((province_code, clean(full_name).lower()))
    if exact is not None:
        return exact
    folded = reg.communes_by_folded_name.get((province_code, fold(full_name)), ())
    return folded[0] if len(folded) == 1 else None
