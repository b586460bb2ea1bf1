"""Old, district-based addresses matched to the communes/wards of 1 July 2025.

``vietnam-address-converter`` knows how every old ward maps to the new ones, but it numbers
units with codes of its own (Đồng Nai is "23" there, GSO 75), so its answers are joined to
``vietnam-provinces`` by name (see ``units.commune_by_name``).

Cost: its first text conversion builds search tables from about 10,000 mapping rows, which
takes 8-12 s of CPU and some 80 MB of memory; later calls take milliseconds. ``warm_up``
pays that once per process, preferably in a background thread at start-up; a request that
arrives before it finishes waits for the same build instead of starting a second one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from core.geo.names import fold, name_key, split_segments, split_unit_prefix, vietnamese_sort_key
from core.geo.units import Unit, commune_by_name, province_by_name, registry

log = logging.getLogger(__name__)

HOME_PROVINCE_CODE = "75"  # Đồng Nai: its communes come first among candidates

_load_lock = threading.Lock()
_loaded = False


@dataclass(frozen=True)
class AddressMatch:
    """What an old address became: one commune, several to choose from, or nothing."""

    status: Literal["matched", "ambiguous", "not_found"]
    commune: Unit | None = None
    candidates: list[Unit] = field(default_factory=list)
    street: str | None = None


def ensure_loaded() -> None:
    """Build the converter's search tables once per process (8-12 s the first time)."""
    global _loaded
    if _loaded:
        return
    with _load_lock:
        if _loaded:
            return
        from vietnam_address_converter.text import parse_address_text, parse_new_address_text

        registry()
        # Both parsers cache their tables on first use; an empty-ish call fills them.
        parse_address_text("warm up")
        parse_new_address_text("warm up")
        _loaded = True


def warm_up(background: bool = True) -> threading.Thread | None:
    """Load both packages' data now, in a daemon thread unless ``background`` is False.

    Call it once per process at start-up. A forking server loads it synchronously in
    its master instead (``ensure_loaded``, gunicorn.conf.py ``when_ready``), so that the
    workers inherit the built tables; a thread still running at a fork would not carry over.
    """
    if not background:
        ensure_loaded()
        return None

    def run() -> None:
        try:
            ensure_loaded()
        except Exception:  # a failed warm-up must not kill the worker; the first request retries
            log.exception("geo: loading the address converter failed")

    thread = threading.Thread(target=run, name="geo-warm-up", daemon=True)
    thread.start()
    return thread


def resolve_old_address(text: str) -> AddressMatch:
    """Match free text such as 'xã Lộc Thái, huyện Lộc Ninh, Bình Phước' to new communes."""
    ensure_loaded()
    from vietnam_address_converter.text import convert_address_text

    result = convert_address_text(text)
    conversion = result.get("conversion") or {}
    if conversion.get("status") in {"matched", "ambiguous"} and _ward_was_written(text, result.get("parsed") or {}):
        communes = _communes_of(conversion)
        return _decide(communes, result.get("street_address"))
    # The converter's text parser needs the province, which people often leave out.
    return _resolve_by_parts(text)


def _ward_was_written(text: str, parsed: dict[str, Any]) -> bool:
    """False when the converter read a ward into an address that names none.

    Given "huyện Lộc Ninh, Bình Phước" it answers the old town Lộc Ninh, although the
    farmer may live in any commune of that district.
    """
    segments = split_segments(text)
    ward = parsed.get("ward_name")
    if len(segments) < 2 or not ward:
        return True
    key = name_key(ward)
    return any(name_key(segment) == key and split_unit_prefix(segment)[0] in (None, "ward") for segment in segments)


def _communes_of(conversion: dict[str, Any]) -> list[Unit]:
    if conversion.get("status") == "matched" and not conversion.get("candidates"):
        result = conversion.get("result") or {}
        return _join([(result.get("new_province"), result.get("new_ward"))])
    return _join(
        (candidate.get("new_province"), candidate.get("new_ward")) for candidate in conversion.get("candidates") or []
    )


def _join(pairs: Iterable[tuple[dict | None, dict | None]]) -> list[Unit]:
    """Converter (province, ward) records → our communes, by name, in order, once each."""
    found: dict[str, Unit] = {}
    for province_record, ward_record in pairs:
        if not province_record or not ward_record:
            continue
        province = province_by_name(province_record.get("name_with_type") or province_record.get("name") or "")
        if province is None:
            log.warning("geo: converter province %r has no GSO match", province_record.get("name"))
            continue
        commune = commune_by_name(province.code, ward_record.get("name_with_type") or ward_record.get("name") or "")
        if commune is None:
            log.warning("geo: converter ward %r has no GSO match", ward_record.get("name_with_type"))
            continue
        found.setdefault(commune.code, commune)
    return list(found.values())


def _decide(communes: list[Unit], street: str | None) -> AddressMatch:
    street = (street or "").strip(" ,;") or None
    if len(communes) == 1:
        return AddressMatch(status="matched", commune=communes[0], candidates=[], street=street)
    if not communes:
        return AddressMatch(status="not_found", street=street)
    ordered = sorted(communes, key=lambda unit: (unit.province_code != HOME_PROVINCE_CODE, _order(unit)))
    return AddressMatch(status="ambiguous", candidates=ordered, street=street)


def _order(unit: Unit) -> tuple:
    province = split_unit_prefix(unit.province_name or "")[2]  # "Thành phố Hà Nội" sorts under H
    return vietnamese_sort_key(province), vietnamese_sort_key(split_unit_prefix(unit.name)[2])


# For the last one, two or three parts of an address without a recognised province: which
# old unit each part may be. A part whose unit word says otherwise rules the reading out.
_READINGS: tuple[tuple[str, ...], ...] = (
    ("ward", "district", "province"),
    ("ward", "district"),
    ("ward", "province"),
    ("ward",),
    ("district", "province"),
    ("district",),
)
_COMPATIBLE = {
    "ward": {None, "ward"},
    "district": {None, "district", "city"},
    "province": {None, "province", "city"},
}


def _resolve_by_parts(text: str) -> AddressMatch:
    from vietnam_address_converter.conversion import convert_old_to_new

    segments = split_segments(text)
    for reading in _READINGS:
        if len(segments) < len(reading):
            continue
        tail, street = segments[-len(reading) :], segments[: -len(reading)]
        kinds = [split_unit_prefix(segment)[0] for segment in tail]
        if any(kind not in _COMPATIBLE[role] for role, kind in zip(reading, kinds, strict=True)):
            continue
        if any(split_unit_prefix(segment)[0] in {"district", "city", "province"} for segment in street):
            continue  # a district or province is never part of the street
        fields = {f"{role}_name": segment for role, segment in zip(reading, tail, strict=True)}
        conversion = convert_old_to_new(fields, {"allowBroadMatch": True})
        if conversion.get("status") not in {"matched", "ambiguous"}:
            conversion = {"status": "not_found", "candidates": []}
        is_ward = reading[0] == "ward"
        typed = _communes_of(_only_written_type(conversion, tail[0]) if is_ward else conversion)
        # Someone may type a new name in the old-address box ("Phường Bình Phước"): with no
        # province given, new communes of that name are candidates too.
        new = _new_communes_named(tail[0]) if reading == ("ward",) else []
        communes = list({unit.code: unit for unit in [*typed, *new]}.values()) or _communes_of(conversion)
        if communes:
            return _decide(communes, ", ".join(street))
    return AddressMatch(status="not_found")


def _only_written_type(conversion: dict[str, Any], ward_text: str) -> dict[str, Any]:
    """Only candidates whose old unit is of the type written ('xã Tân Lập' is not 'phường Tân Lập')."""
    from vietnam_address_converter.data import DEFAULT_DATA

    _, written, _ = split_unit_prefix(ward_text)
    if written is None:
        return conversion
    rows = DEFAULT_DATA["mapping"]["rows"]
    old_wards = DEFAULT_DATA["oldWards"]

    def old_types(candidate: dict[str, Any]) -> set[str]:
        indexes = (candidate.get("mapping") or {}).get("row_indexes") or []
        return {(old_wards.get(rows[index]["old"].get("ward_code")) or {}).get("type", "") for index in indexes}

    kept = [candidate for candidate in conversion.get("candidates") or [] if written in old_types(candidate)]
    return {"status": "ambiguous", "candidates": kept}


def _new_communes_named(ward_text: str) -> list[Unit]:
    _, written, bare = split_unit_prefix(ward_text)
    units = registry().communes_by_name_key.get(name_key(bare), ())
    if written is None:
        return list(units)
    return [unit for unit in units if fold(unit.name).replace(" ", "-").startswith(written + "-")]
