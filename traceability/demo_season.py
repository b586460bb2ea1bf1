"""The whole 2025/26 crop season of the demo (`flask seed-demo`): every grower household's plots and harvests.

``traceability.demo`` tells a few lots in full (from the plot to the carton); this module gives the
department's reports a season to count: the households of ``core.seed.SEASON_GROWERS`` register a
plot each and record the lots they harvest month by month (cashew February–May, pepper January–April,
rubber latex every month but the wintering of February–April, and on into the first months of the
next season). Some plots are certified, some rubber plots are EUDR-ready and some not; a processor
shells two communes' nuts (one batch below the conversion band, with its reason), and two harvests
are corrected. Everything goes through the services the pages call, so each lot has its hash chain.

Quantities are believable rather than real: a seeded random draw within the usual ranges
(cashew 1–3 t of nuts per ha and season, pepper 2–4 t of fresh berries per ha, rubber about 5 t
of field latex per ha and year at 28–36 % DRC), the same on every run.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from core.accounts.models import Organization, User
from core.seed import BINH_PHUOC, BU_GIA_MAP, DONG_XOAI, LOC_NINH, PHU_RIENG
from traceability.demo import square
from traceability.models import Batch, Plot
from traceability.services import batches, certificates, corrections, custody, operations, plots


@dataclass(frozen=True)
class Crop:
    product: str
    plot_name: str
    area_ha: tuple[float, float]  # the range plots are drawn from (rubber's: see RUBBER_GEOLOCATION)
    kg_per_ha: tuple[int, int]  # harvested in the season (rubber: field latex in a year)
    months: tuple[tuple[int, int, str], ...]  # (year, month, share of the season's quantity)


CROPS = {
    "cashew": Crop(
        "raw_cashew_nuts",
        "Vườn điều",
        (1.5, 4.5),
        (1_200, 2_400),
        ((2026, 2, "0.15"), (2026, 3, "0.35"), (2026, 4, "0.35"), (2026, 5, "0.15")),
    ),
    "pepper": Crop(
        "fresh_pepper",
        "Vườn tiêu",
        (0.5, 1.5),
        (2_300, 3_500),
        ((2026, 1, "0.20"), (2026, 2, "0.40"), (2026, 3, "0.30"), (2026, 4, "0.10")),
    ),
    # Tapping stops while the trees shed their leaves (February–April); October and November 2026 open the next
    # season, as the latest months of a live system would.
    "rubber": Crop(
        "field_latex",
        "Lô cao su",
        (1.5, 6.5),
        (4_600, 5_600),
        (
            (2025, 10, "0.13"),
            (2025, 11, "0.14"),
            (2025, 12, "0.13"),
            (2026, 1, "0.08"),
            (2026, 5, "0.07"),
            (2026, 6, "0.10"),
            (2026, 7, "0.11"),
            (2026, 8, "0.12"),
            (2026, 9, "0.12"),
            (2026, 10, "0.13"),
            (2026, 11, "0.14"),
        ),
    ),
}
CENTRES = {  # (lat, lng) of each demo commune's farmland
    BU_GIA_MAP: (11.9312, 106.9721),
    LOC_NINH: (11.8462, 106.5894),
    PHU_RIENG: (11.7015, 106.9237),
    BINH_PHUOC: (11.5468, 106.9012),
    DONG_XOAI: (11.4985, 106.8723),
}
CODES = {BU_GIA_MAP: "BGM", LOC_NINH: "LN", PHU_RIENG: "PR", BINH_PHUOC: "BP", DONG_XOAI: "DX"}

QUACERT = "Trung tâm Chứng nhận Phù hợp (QUACERT)"
CONTROL_UNION = "Control Union Việt Nam"
# (crop, commune, household number) → (type, number, issuer, valid from, valid to). A lot is certified when its
# plot's certificate is valid on its harvest day: Phú Riềng's pepper VietGAP lapses mid-harvest.
CERTIFIED = {
    ("cashew", BU_GIA_MAP, 1): ("vietgap", "VietGAP-TT-25-09-75-0107", QUACERT, date(2025, 9, 1), date(2027, 8, 31)),
    ("cashew", BU_GIA_MAP, 2): ("vietgap", "VietGAP-TT-25-09-75-0108", QUACERT, date(2025, 9, 1), date(2027, 8, 31)),
    ("cashew", BINH_PHUOC, 1): ("organic", "CU-ORG-885120-2025", CONTROL_UNION, date(2025, 11, 1), date(2026, 10, 31)),
    ("cashew", LOC_NINH, 1): (
        "rainforest_alliance",
        "RA-C-VN-2025-0311",
        CONTROL_UNION,
        date(2025, 7, 1),
        date(2028, 6, 30),
    ),
    ("pepper", LOC_NINH, 1): ("organic", "CU-ORG-885121-2025", CONTROL_UNION, date(2025, 11, 1), date(2026, 10, 31)),
    ("pepper", LOC_NINH, 2): ("organic", "CU-ORG-885122-2025", CONTROL_UNION, date(2025, 11, 1), date(2026, 10, 31)),
    ("pepper", PHU_RIENG, 1): ("vietgap", "VietGAP-TT-24-03-75-0019", QUACERT, date(2024, 3, 1), date(2026, 2, 28)),
    ("pepper", BU_GIA_MAP, 1): (
        "rainforest_alliance",
        "RA-C-VN-2025-0312",
        CONTROL_UNION,
        date(2025, 7, 1),
        date(2028, 6, 30),
    ),
    ("rubber", PHU_RIENG, 1): (
        "rainforest_alliance",
        "RA-C-VN-2025-0313",
        CONTROL_UNION,
        date(2025, 7, 1),
        date(2028, 6, 30),
    ),
    ("rubber", DONG_XOAI, 1): (
        "rainforest_alliance",
        "RA-C-VN-2025-0314",
        CONTROL_UNION,
        date(2025, 7, 1),
        date(2028, 6, 30),
    ),
}

# Rubber plots by household number: (polygon, no-deforestation declared, area range). 1 and 2 are EUDR-ready (a
# polygon; a point is enough up to 4 ha); 3 has only a point over 4 ha and 4 no declaration: not ready.
RUBBER_GEOLOCATION = {
    1: (True, True, (3.0, 6.5)),
    2: (False, True, (1.5, 3.8)),
    3: (False, True, (4.3, 6.5)),
    4: (True, False, (2.0, 4.5)),
}


# A lot typed with a zero too many, then corrected; a weighing slip entered twice, the second declared never
# harvested: (crop, commune, household number, (year, month)).
MISTYPED = ("cashew", BU_GIA_MAP, 3, (2026, 3))
ENTERED_TWICE = ("rubber", PHU_RIENG, 2, (2026, 7))


@dataclass
class Grower:
    crop: str
    commune: str
    number: int  # among the growers of its crop in its commune
    user: User
    household: Organization
    plot: Plot | None = None
    lots: list[Batch] = field(default_factory=list)  # one a harvest month, in the order of ``Crop.months``


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _plot(grower: Grower, rng: random.Random) -> Plot:
    crop = CROPS[grower.crop]
    polygon, declared, area_range = True, True, crop.area_ha
    if grower.crop == "rubber":
        polygon, declared, area_range = RUBBER_GEOLOCATION[grower.number]
    area = Decimal(f"{rng.uniform(*area_range):.2f}")
    lat, lng = CENTRES[grower.commune]
    lat, lng = lat + rng.uniform(-0.03, 0.03), lng + rng.uniform(-0.03, 0.03)
    if polygon:
        geometry = square(lat, lng, float(area))
    else:
        geometry = {"type": "Point", "coordinates": [round(lng, 7), round(lat, 7)]}
    code = f"VN-75-{CODES[grower.commune]}-{grower.crop[0].upper()}{grower.number:02d}"
    return plots.create_plot(
        grower.user,
        grower.household.id,
        {
            "name": f"{crop.plot_name} {grower.household.street}",
            "commune_code": grower.commune,
            "area_ha": area,
            "crops": [grower.crop],
            "geometry": geometry,
            "deforestation_free": declared,
            # Growing-area codes are issued for export cashew and pepper; rubber goes by its EUDR geolocation.
            "growing_area_code": None if grower.crop == "rubber" else code,
        },
    )


def _certify(officer: User, grower: Grower) -> None:
    found = CERTIFIED.get((grower.crop, grower.commune, grower.number))
    if found is None:
        return
    kind, number, issuer, valid_from, valid_to = found
    certificate = certificates.create_certificate(
        grower.user,
        {
            "organization_id": grower.household.id,
            "type": kind,
            "number": number,
            "issuer": issuer,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "plot_ids": [grower.plot.id],
        },
    )
    certificates.verify_certificate(officer, certificate.id, "verified", "Đã đối chiếu bản gốc.")


def _harvest_event_id(user: User, lot: Batch) -> int:
    _batch, events, _total = batches.batch_events(user, lot.code, limit=1)
    return events[0].id


def _record(grower: Grower, quantity: Decimal, day: date, first: date, drc: Decimal | None) -> Batch:
    return batches.record_harvest(
        grower.user,
        product=CROPS[grower.crop].product,
        quantity=quantity,
        drc_percent=drc,
        plot_ids=[grower.plot.id],
        organization_id=grower.household.id,
        harvest_start=first,
        harvest_end=day,
        event_time=f"{day.isoformat()}T16:00:00+07:00",
    )


def _harvest(grower: Grower, rng: random.Random) -> None:
    """One lot a harvest month, the season's quantity shared among them (and the two corrections)."""
    crop = CROPS[grower.crop]
    season_kg = grower.plot.area_ha * rng.randint(*crop.kg_per_ha)
    for year, month, share in crop.months:
        day = _month_end(year, month) - timedelta(days=rng.randint(0, 5))
        drc = Decimal(f"{rng.uniform(28, 36):.1f}") if grower.crop == "rubber" else None
        weather = Decimal(f"{rng.uniform(0.85, 1.15):.2f}")  # each month's pick or tapping is not the plan's
        quantity = (season_kg * Decimal(share) * weather).quantize(Decimal("1"))
        which = (grower.crop, grower.commune, grower.number, (year, month))
        typed = quantity * 10 if which == MISTYPED else quantity
        lot = _record(grower, typed, day, date(year, month, 1), drc)
        if which == MISTYPED:
            corrections.correct(
                grower.user,
                _harvest_event_id(grower.user, lot),
                reason="incorrect_data",
                quantity=quantity,
                note=f"Cân được {quantity} kg, nhập nhầm thêm một số 0.",
            )
        if which == ENTERED_TWICE:
            twice = _record(grower, quantity, day, date(year, month, 1), drc)
            corrections.correct(
                grower.user,
                _harvest_event_id(grower.user, twice),
                reason="did_not_occur",
                note="Phiếu cân tháng này đã nhập hai lần.",
            )
        grower.lots.append(lot)


def _sell(processor_user: User, processor: Organization, sold: list[tuple[Grower, Batch]], day: date) -> None:
    """Each grower ships the lot to the processor, who weighs it in the same afternoon."""
    for grower, lot in sold:
        shipment = custody.ship(
            grower.user,
            lot.code,
            to_organization_id=processor.id,
            reference=f"PN-{CODES[grower.commune]}-{day:%m%d}-{grower.number:02d}",
            event_time=f"{day.isoformat()}T08:00:00+07:00",
        )
        custody.receive(processor_user, shipment.id, event_time=f"{day.isoformat()}T15:00:00+07:00")


def _shell(
    processor_user: User, lots: list[Batch], shares: dict[str, str], when: str, reason: str | None = None
) -> list[Batch]:
    """Kernels of each grade, ``shares`` of the nuts' weight; a yield below the band needs its ``reason``."""
    total = sum((lot.quantity_remaining for lot in lots), Decimal(0))
    _event, kernels = operations.transform(
        processor_user,
        inputs=[{"code": lot.code} for lot in lots],
        outputs=[
            {
                "product": "cashew_kernels",
                "grade": grade,
                "quantity": str((total * Decimal(share)).quantize(Decimal("1"))),
                "unit": "kg",
            }
            for grade, share in shares.items()
        ],
        step="shelling",
        event_time=when,
        reason=reason,
        note="Hấp, tách vỏ, sấy nhân, bóc lụa, phân loại.",
    )
    return kernels


def seed_season(
    users: Mapping[str, User], orgs: Mapping[str, Organization], growers: Sequence[tuple[str, str]]
) -> dict[str, Batch]:
    """The season of ``growers`` (crop, key of the household in ``users`` and ``orgs``); returns notable lots."""
    rng = random.Random(2025)
    officer, processor_user, processor = users["officer"], users["processor"], orgs["processor"]
    counted: Counter[tuple[str, str]] = Counter()
    season: list[Grower] = []
    for crop, key in growers:
        household = orgs[key]
        counted[crop, household.commune_code] += 1
        grower = Grower(crop, household.commune_code, counted[crop, household.commune_code], users[key], household)
        grower.plot = _plot(grower, rng)
        _certify(officer, grower)
        _harvest(grower, rng)
        season.append(grower)

    def of(crop: str, commune: str) -> list[Grower]:
        return [grower for grower in season if grower.crop == crop and grower.commune == commune]

    lots: dict[str, Batch] = {}
    # Bình Phước's April nuts, shelled in May: 23.5 % kernels, within the band (20–30 %).
    april = [(grower, grower.lots[2]) for grower in of("cashew", BINH_PHUOC)]
    _sell(processor_user, processor, april, date(2026, 5, 4))
    kernels = _shell(
        processor_user,
        [lot for _grower, lot in april],
        {"W240": "0.09", "W320": "0.085", "W450": "0.04", "LP": "0.02"},
        "2026-05-12T14:00:00+07:00",
    )
    lots["cashew_w450"] = kernels[2]
    # Lộc Ninh's last nuts, after the unseasonal rain: 18.5 %, below the band, with the reason the department sees.
    may = [(grower, grower.lots[3]) for grower in of("cashew", LOC_NINH)]
    _sell(processor_user, processor, may, date(2026, 6, 2))
    low = _shell(
        processor_user,
        [lot for _grower, lot in may],
        {"W320": "0.11", "WS": "0.045", "LP": "0.03"},
        "2026-06-09T14:00:00+07:00",
        reason="Cuối vụ mưa trái mùa: nhiều hạt lép và ẩm, KOR chỉ 41 lbs/bao 80 kg.",
    )
    lots["cashew_late_w320"] = low[0]

    # An organic pepper household of Lộc Ninh dries its February berries into 550 g/l black pepper (34 %).
    grower = of("pepper", LOC_NINH)[0]
    fresh = grower.lots[1]
    _event, (black,) = operations.transform(
        grower.user,
        inputs=[{"code": fresh.code}],
        outputs=[
            {
                "product": "black_pepper",
                "grade": "550GL",
                "quantity": str((fresh.quantity_remaining * Decimal("0.34")).quantize(Decimal("1"))),
                "unit": "kg",
            }
        ],
        step="sun_drying",
        event_time=f"{(fresh.harvest_end + timedelta(days=5)).isoformat()}T17:00:00+07:00",
        measurements=[{"type": "moisture", "value": "12.5", "unit": "percent"}],
    )
    lots["pepper_black_550"] = black

    # Đồng Xoài's polygon-mapped latex of September, made into EUDR-ready SVR 3L (97 % of its dry rubber).
    grower = of("rubber", DONG_XOAI)[0]
    latex = grower.lots[8]
    _sell(processor_user, processor, [(grower, latex)], latex.harvest_end + timedelta(days=1))
    dry = latex.quantity_remaining * latex.drc_percent / 100
    _event, (svr,) = operations.transform(
        processor_user,
        inputs=[{"code": latex.code}],
        outputs=[
            {
                "product": "svr",
                "grade": "3L",
                "quantity": str((dry * Decimal("0.97")).quantize(Decimal("1"))),
                "unit": "kg",
            }
        ],
        step="coagulation",
        event_time=f"{(latex.harvest_end + timedelta(days=3)).isoformat()}T10:00:00+07:00",
        note="Đánh đông, cán crếp, băm cốm, sấy, ép bành 35 kg.",
    )
    lots["rubber_svr_3l"] = svr
    return lots
