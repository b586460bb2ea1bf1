"""What the platform knows about its commodities: product forms, grades, conversion bands, steps, measurements.

Pure data and pure functions (no database), shared by the plot, batch and event
services. Values follow ../shared/DOMAIN.md §3 (forms, grades, conversion
ratios) and §4 (GS1 CBV 2.0 business steps and dispositions).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l

from core.errors import ValidationError
from core.messages import Message
from traceability.messages import (
    ENTER_A_NUMBER,
    GRADE_BABY_BITS,
    GRADE_DESSERT_WHOLES,
    GRADE_INVALID,
    GRADE_LARGE_PIECES,
    GRADE_LARGE_WHITE_PIECES,
    GRADE_PEPPER_DENSITY,
    GRADE_SCORCHED_BUTTS,
    GRADE_SCORCHED_WHOLES,
    GRADE_SCORCHED_WHOLES_COUNT,
    GRADE_SMALL_PIECES,
    GRADE_TOO_LONG,
    GRADE_UNKNOWN,
    GRADE_VERY_SMALL_PIECES,
    GRADE_WHITE_SPLITS,
    GRADE_WHITE_WHOLES,
    MEASUREMENT_NAMES,
    MEASUREMENT_NOT_OBJECT,
    MEASUREMENT_OUT_OF_RANGE,
    MEASUREMENT_TYPE_UNKNOWN,
    MEASUREMENT_UNIT,
    MEASUREMENTS_INVALID,
    MEASUREMENTS_TOO_MANY,
    MEASUREMENTS_TOO_MANY_DETAIL,
    PRODUCT_UNKNOWN,
    PRODUCT_UNKNOWN_DETAIL,
    UNIT_NAMES,
    UNIT_UNKNOWN,
    UNIT_UNKNOWN_DETAIL,
)

COMMODITIES = ("cashew", "pepper", "rubber")


@dataclass(frozen=True)
class Product:
    code: str
    commodity: str
    name: Any  # a lazy English msgid; str() it inside a request to get the user's language
    grades: tuple[str, ...] = ()
    harvested: bool = False  # the form produce has when it leaves a plot
    needs_drc: bool = False  # quantities only mean something with a dry rubber content
    hs_code: str | None = None  # the HS 2022 subheading a due diligence statement declares (rubber: see HS_CODES)


PRODUCTS: dict[str, Product] = {
    p.code: p
    for p in (
        Product("raw_cashew_nuts", "cashew", _l("Raw cashew nuts"), harvested=True),
        Product(
            "cashew_kernels",
            "cashew",
            _l("Cashew kernels"),
            grades=(
                "W180",
                "W210",
                "W240",
                "W320",
                "W450",
                "W500",
                "SW",
                "SW180",
                "SW240",
                "SW320",
                "WS",
                "LWP",
                "LP",
                "SP",
                "SSP",
                "BB",
                "SB",
                "DW",
            ),
        ),
        Product("fresh_pepper", "pepper", _l("Fresh pepper"), harvested=True),
        Product("black_pepper", "pepper", _l("Black pepper"), grades=("500GL", "550GL", "570GL")),
        Product("white_pepper", "pepper", _l("White pepper"), grades=("600GL", "630GL")),
        Product("field_latex", "rubber", _l("Field latex"), harvested=True, needs_drc=True, hs_code="4001.10"),
        Product("cup_lump", "rubber", _l("Cup lump"), harvested=True, hs_code="4001.29"),
        Product(
            "svr", "rubber", _l("SVR block rubber"), grades=("3L", "5", "10", "20", "CV50", "CV60"), hs_code="4001.22"
        ),
        Product(
            "rss",
            "rubber",
            _l("Ribbed smoked sheets (RSS)"),
            grades=("RSS1", "RSS2", "RSS3", "RSS4", "RSS5"),
            hs_code="4001.21",
        ),
    )
}


# The rubber subheadings of HS 2022 heading 4001 ("Natural rubber ... in primary forms or in plates, sheets or
# strip"), the heading Annex I of the EUDR (Regulation (EU) 2023/1115) lists for rubber, as the World Customs
# Organization's nomenclature and the EU Combined Nomenclature word them: latex (field latex) 4001.10, smoked
# sheets (RSS) 4001.21, technically specified natural rubber (TSNR: Vietnam's SVR is one) 4001.22, and other
# primary forms (cup lump, the coagulum sold to factories) 4001.29. Cashew and pepper are outside the EUDR.
HS_CODES: dict[str, Any] = {
    "4001.10": _l("Natural rubber latex, whether or not pre-vulcanised"),
    "4001.21": _l("Smoked sheets of natural rubber"),
    "4001.22": _l("Technically specified natural rubber (TSNR)"),
    "4001.29": _l("Natural rubber in other primary forms"),
}


def product(code: str) -> Product:
    """The product form ``code``; a field error naming ``product`` when there is none."""
    found = PRODUCTS.get(code) if isinstance(code, str) else None
    if found is None:
        allowed = ", ".join(PRODUCTS)
        raise ValidationError(
            PRODUCT_UNKNOWN_DETAIL, errors={"product": [PRODUCT_UNKNOWN(code=repr(code), allowed=allowed)]}
        )
    return found


def products_of(commodity: str) -> list[Product]:
    return [p for p in PRODUCTS.values() if p.commodity == commodity]


def _grade_key(text: str, prefix: str = "") -> str:
    key = "".join(ch for ch in text.upper() if ch.isalnum())
    for noise in ("SVR", "RSS"):
        if key.startswith(noise) and len(key) > len(noise):
            key = key[len(noise) :]
    if key.endswith("GL") and key[:-2].isdigit():
        key = key[:-2]
    return key


def normalize_grade(product_code: str, grade: str | None) -> str | None:
    """The product's canonical grade for what a person typed ("500 g/l" → "500GL", "SVR10" → "10").

    Products without a grade list take free text (at most 20 characters). A grade
    that is not one of the product's grades is a field error on ``grade``.
    """
    form = product(product_code)
    if grade is None or not str(grade).strip():
        return None
    text = str(grade).strip()
    if not form.grades:
        if len(text) > 20:
            raise ValidationError(GRADE_INVALID, errors={"grade": [GRADE_TOO_LONG]})
        return text
    by_key = {_grade_key(g): g for g in form.grades}
    found = by_key.get(_grade_key(text))
    if found is None:
        unknown = GRADE_UNKNOWN(grade=repr(text), product=form.code, allowed=", ".join(form.grades))
        raise ValidationError(GRADE_INVALID, errors={"grade": [unknown]})
    return found


_KERNEL_GRADES = {
    "SW": GRADE_SCORCHED_WHOLES,
    "WS": GRADE_WHITE_SPLITS,
    "LWP": GRADE_LARGE_WHITE_PIECES,
    "LP": GRADE_LARGE_PIECES,
    "SP": GRADE_SMALL_PIECES,
    "SSP": GRADE_VERY_SMALL_PIECES,
    "BB": GRADE_BABY_BITS,
    "SB": GRADE_SCORCHED_BUTTS,
    "DW": GRADE_DESSERT_WHOLES,
}


def _kernel_grade(grade: str) -> Message | None:
    for prefix, counted in (("SW", GRADE_SCORCHED_WHOLES_COUNT), ("W", GRADE_WHITE_WHOLES)):
        if grade.startswith(prefix) and grade[len(prefix) :].isdigit():
            return counted(count=int(grade[len(prefix) :]))
    return _KERNEL_GRADES.get(grade)


def grade_label(product_code: str, grade: str | None) -> Message | None:
    """A stored grade as people read it ("W320" → white whole kernels, 320 per pound); shown with ``translate``.

    The code itself is the label where the trade reads it as it is (SVR 10, RSS 1) or when it is not one we know.
    """
    if not grade:
        return None
    label = None
    if product_code == "cashew_kernels":
        label = _kernel_grade(grade)
    elif product_code in ("black_pepper", "white_pepper") and grade.endswith("GL") and grade[:-2].isdigit():
        label = GRADE_PEPPER_DENSITY(density=int(grade[:-2]))
    elif product_code in ("svr", "rss"):
        label = f"SVR {grade}" if product_code == "svr" else f"RSS {grade.removeprefix('RSS')}"
    return label if isinstance(label, Message) else Message("grade", label or grade)


# Output/input mass ratios a transformation may have (DOMAIN.md §3). For inputs whose
# product needs a DRC (field latex) the band applies on a DRY basis: output / dry_basis(input, drc).
_BANDS: dict[tuple[str, str], tuple[Decimal, Decimal]] = {
    ("raw_cashew_nuts", "cashew_kernels"): (Decimal("0.20"), Decimal("0.30")),
    ("fresh_pepper", "black_pepper"): (Decimal("0.28"), Decimal("0.38")),
    ("fresh_pepper", "white_pepper"): (Decimal("0.25"), Decimal("0.32")),
    ("black_pepper", "white_pepper"): (Decimal("0.70"), Decimal("0.80")),
    ("field_latex", "svr"): (Decimal("0.90"), Decimal("1.02")),
    ("field_latex", "rss"): (Decimal("0.90"), Decimal("1.02")),
    ("cup_lump", "svr"): (Decimal("0.50"), Decimal("0.80")),
    # Same form, made drier or cleaner: some mass is lost, none is gained.
    ("raw_cashew_nuts", "raw_cashew_nuts"): (Decimal("0.80"), Decimal("1.00")),
    ("cashew_kernels", "cashew_kernels"): (Decimal("0.80"), Decimal("1.00")),
    ("black_pepper", "black_pepper"): (Decimal("0.80"), Decimal("1.00")),
    ("white_pepper", "white_pepper"): (Decimal("0.80"), Decimal("1.00")),
    ("cup_lump", "cup_lump"): (Decimal("0.80"), Decimal("1.00")),
}


def conversion_band(input_product: str, output_product: str) -> tuple[Decimal, Decimal] | None:
    """(low, high) output/input ratio for this transformation; None when it is not a transformation we allow."""
    return _BANDS.get((input_product, output_product))


def dry_basis(quantity: Decimal, drc_percent: Decimal) -> Decimal:
    """Dry rubber in a quantity of latex: quantity × DRC / 100."""
    return Decimal(quantity) * Decimal(drc_percent) / Decimal(100)


# GS1 CBV 2.0 business steps (the words the EPCIS 2.0 JSON schema enumerates).
CBV_BIZ_STEPS = frozenset(
    {
        "accepting",
        "arriving",
        "assembling",
        "collecting",
        "commissioning",
        "consigning",
        "creating_class_instance",
        "cycle_counting",
        "decommissioning",
        "departing",
        "destroying",
        "disassembling",
        "dispensing",
        "encoding",
        "entering_exiting",
        "holding",
        "inspecting",
        "installing",
        "killing",
        "loading",
        "other",
        "packing",
        "picking",
        "receiving",
        "removing",
        "repackaging",
        "repairing",
        "replacing",
        "reserving",
        "retail_selling",
        "shipping",
        "staging_outbound",
        "stock_taking",
        "stocking",
        "storing",
        "transporting",
        "unloading",
        "unpacking",
        "void_shipping",
        "sensor_reporting",
        "sampling",
    }
)

# Our own steps, for which CBV has no word; exported as URIs (see biz_step_uri).
OWN_BIZ_STEPS = frozenset(
    {
        "drying",
        "sun_drying",
        "threshing",
        "steaming",
        "shelling",
        "peeling",
        "grading",
        "cleaning",
        "sizing",
        "winnowing",
        "sterilising",
        "tapping",
        "coagulation",
        "creping",
        "crumbling",
        "baling",
        "fermenting",
        "sorting",
        "smoking",
        "soaking",
        "retting",
        "separating_apple",
    }
)

# GS1 CBV 2.0 dispositions.
DISPOSITIONS = frozenset(
    {
        "active",
        "container_closed",
        "damaged",
        "destroyed",
        "dispensed",
        "disposed",
        "encoded",
        "expired",
        "in_progress",
        "in_transit",
        "inactive",
        "no_pedigree_match",
        "non_sellable_other",
        "partially_dispensed",
        "recalled",
        "reserved",
        "retail_sold",
        "returned",
        "sellable_accessible",
        "sellable_not_accessible",
        "stolen",
        "unknown",
        "available",
        "completeness_verified",
        "completeness_inferred",
        "conformant",
        "container_open",
        "mismatch_instance",
        "mismatch_class",
        "mismatch_quantity",
        "needs_replacement",
        "non_conformant",
        "unavailable",
    }
)


# Our own steps each commodity goes through (DOMAIN.md §3); CBV's steps (storing, inspecting...) fit every lot.
COMMODITY_STEPS: dict[str, frozenset[str]] = {
    "cashew": frozenset(
        {"separating_apple", "sun_drying", "drying", "cleaning", "sizing", "sorting", "steaming", "shelling"}
        | {"peeling", "grading"}
    ),
    "pepper": frozenset(
        {"threshing", "sun_drying", "drying", "winnowing", "cleaning", "sorting", "grading", "soaking", "retting"}
        | {"peeling", "steaming", "sterilising"}
    ),
    "rubber": frozenset(
        {"tapping", "coagulation", "creping", "crumbling", "drying", "smoking", "baling", "cleaning", "sorting"}
        | {"grading"}
    ),
}
# What is measured on each commodity's lots (KOR is the outturn of raw cashew nuts, DRC the rubber in latex).
COMMODITY_MEASUREMENTS: dict[str, frozenset[str]] = {
    "cashew": frozenset({"moisture", "kor", "temperature", "foreign_matter"}),
    "pepper": frozenset({"moisture", "density", "temperature", "foreign_matter"}),
    "rubber": frozenset({"moisture", "drc", "temperature", "foreign_matter"}),
}


def step_fits(step: str, commodity: str) -> bool:
    """Whether a lot of ``commodity`` may go through ``step``: any CBV step, and our own steps of that commodity."""
    return step in CBV_BIZ_STEPS or step in COMMODITY_STEPS.get(commodity, OWN_BIZ_STEPS)


# Measurements of one stage only: KOR judges raw nuts (a kernel lot has no outturn left to judge), DRC the rubber
# still in latex or cup lump (SVR and RSS are dry), density dried pepper (fresh berries are sold by weight).
MEASURED_ON: dict[str, frozenset[str]] = {
    "kor": frozenset({"raw_cashew_nuts"}),
    "drc": frozenset({"field_latex", "cup_lump"}),
    "density": frozenset({"black_pepper", "white_pepper"}),
}


def measurement_fits(kind: str, commodity: str, product: str | None = None) -> bool:
    """Whether ``kind`` is measured on lots of ``commodity`` (and, given, of ``product``)."""
    if kind not in COMMODITY_MEASUREMENTS.get(commodity, MEASUREMENTS):
        return False
    return product is None or kind not in MEASURED_ON or product in MEASURED_ON[kind]


def is_known_biz_step(step: str) -> bool:
    return step in CBV_BIZ_STEPS or step in OWN_BIZ_STEPS


def biz_step_uri(step: str, base_url: str) -> str:
    """A CBV word stays as it is (EPCIS 2.0 JSON allows the bare word); ours becomes a URI of our vocabulary."""
    if step in CBV_BIZ_STEPS:
        return step
    return f"{base_url.rstrip('/')}/voc/bizstep/{step}"


# type -> (unit, lowest, highest) accepted value.
MEASUREMENTS: dict[str, tuple[str, Decimal, Decimal]] = {
    "moisture": ("percent", Decimal(0), Decimal(100)),
    "density": ("g_per_l", Decimal(200), Decimal(800)),
    "drc": ("percent", Decimal(0), Decimal(100)),  # plausible 20–70 (latex 20–45, cup lump > 50)
    "kor": ("lbs_per_80kg", Decimal(20), Decimal(60)),
    "temperature": ("celsius", Decimal(-10), Decimal(300)),
    "foreign_matter": ("percent", Decimal(0), Decimal(100)),
}
DRC_PLAUSIBLE = (Decimal(20), Decimal(70))
MAX_MEASUREMENTS = 20  # per event: a few of each type is already a lot


def decimal_text(value: Decimal) -> str:
    """A decimal as plain text without exponent or trailing zeros ("10.50" → "10.5", "1E+2" → "100")."""
    normalized = value.normalize()
    if normalized == normalized.to_integral():
        return format(normalized.quantize(Decimal(1)), "f")
    return format(normalized, "f")


def _measurement_value(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, float):
        raw = repr(raw)
    text = str(raw).strip()
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # "10,5" as a Vietnamese phone keyboard types it
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def validate_measurements(items: list[dict] | None) -> list[dict]:
    """Checked measurements as stored: [{"type", "value": "<decimal string>", "unit"}]; field errors name
    measurements.<i>.<field>."""
    errors: dict[str, list[str]] = {}
    result: list[dict] = []
    if len(items or []) > MAX_MEASUREMENTS:
        raise ValidationError(
            MEASUREMENTS_TOO_MANY_DETAIL, errors={"measurements": [MEASUREMENTS_TOO_MANY(max=MAX_MEASUREMENTS)]}
        )
    for index, item in enumerate(items or []):
        where = f"measurements.{index}"
        if not isinstance(item, dict):
            errors[where] = [MEASUREMENT_NOT_OBJECT]
            continue
        kind = item.get("type")
        if kind not in MEASUREMENTS:
            errors[f"{where}.type"] = [MEASUREMENT_TYPE_UNKNOWN(allowed=", ".join(MEASUREMENTS))]
            continue
        unit, low, high = MEASUREMENTS[kind]
        given_unit = item.get("unit")
        if given_unit not in (None, "", unit):
            errors[f"{where}.unit"] = [MEASUREMENT_UNIT(kind=MEASUREMENT_NAMES[kind], unit=UNIT_NAMES[unit])]
        value = _measurement_value(item.get("value"))
        if value is None:
            errors[f"{where}.value"] = [ENTER_A_NUMBER]
        elif not low <= value <= high:
            # Plain decimals ("100", not "1E+2"), typed so that a page shows them as its reader writes numbers.
            bounds = {"low": Decimal(decimal_text(low)), "high": Decimal(decimal_text(high))}
            named = {"kind": MEASUREMENT_NAMES[kind], "unit": UNIT_NAMES[unit]}
            errors[f"{where}.value"] = [MEASUREMENT_OUT_OF_RANGE(**named, **bounds)]
        else:
            result.append({"type": kind, "value": decimal_text(value), "unit": unit})
    if errors:
        raise ValidationError(MEASUREMENTS_INVALID, errors=errors)
    return result


UNITS = ("kg", "t")
_KG_PER_UNIT = {"kg": Decimal(1), "t": Decimal(1000)}


def to_kg(quantity: Decimal, unit: str) -> Decimal:
    if unit not in _KG_PER_UNIT:
        raise ValidationError(UNIT_UNKNOWN_DETAIL, errors={"unit": [UNIT_UNKNOWN(allowed=", ".join(UNITS))]})
    return Decimal(quantity) * _KG_PER_UNIT[unit]
