"""The traceability part of the demo season (`flask seed-demo`): plots, certificates and lots with their history.

It goes through the same services as the pages and the API, so the demo lots carry
real hash chains, lineage and EUDR states.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from core.accounts.models import Organization, User
from traceability.models import Batch
from traceability.services import batches, certificates, custody, operations, plots

LAT_METRES = 111_320.0


def square(lat: float, lng: float, area_ha: float) -> dict[str, Any]:
    """A closed square polygon of ``area_ha`` around a point, with 7-decimal coordinates (WGS84)."""
    half = math.sqrt(area_ha * 10_000) / 2
    dlat = half / LAT_METRES
    dlng = half / (LAT_METRES * math.cos(math.radians(lat)))
    ring = [
        (lng - dlng, lat - dlat),
        (lng + dlng, lat - dlat),
        (lng + dlng, lat + dlat),
        (lng - dlng, lat + dlat),
        (lng - dlng, lat - dlat),
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]]}


def _plot(
    user: User,
    org: Organization,
    name: str,
    area: str,
    crop: str,
    lat: float,
    lng: float,
    *,
    polygon: bool = True,
    declared: bool = True,
    code: str | None = None,
):
    geometry = (
        square(lat, lng, float(area)) if polygon else {"type": "Point", "coordinates": [round(lng, 7), round(lat, 7)]}
    )
    data = {
        "name": name,
        "commune_code": org.commune_code,
        "area_ha": Decimal(area),
        "crops": [crop],
        "geometry": geometry,
        "deforestation_free": declared,
        "growing_area_code": code,
    }
    return plots.create_plot(user, org.id, data)


def _step(
    user: User, code: str, step: str, when: str, measurements: list[tuple[str, str, str]] | None = None, **extra
) -> None:
    batches.record_step(
        user,
        code,
        step=step,
        event_time=when,
        measurements=[{"type": t, "value": v, "unit": u} for t, v, u in (measurements or [])],
        **extra,
    )


def _pending_certificate(manager: User, household: Organization, plot) -> None:
    """A second household's VietGAP, just uploaded: it waits in the department's queue for the officer's check."""
    certificates.create_certificate(
        manager,
        {
            "organization_id": household.id,
            "type": "vietgap",
            "number": "VietGAP-TT-26-02-75-0112",
            "issuer": "Trung tâm Chứng nhận Phù hợp (QUACERT)",
            "valid_from": date(2026, 2, 1),
            "valid_to": date(2028, 1, 31),
            "plot_ids": [plot.id],
        },
    )


def seed_traceability(users: dict[str, User], orgs: dict[str, Organization]) -> dict[str, Batch]:
    """Plots, certificates and the season's lots; returns the notable lots by name."""
    lots: dict[str, Batch] = {}
    manager, officer, processor = users["coop_manager"], users["officer"], users["processor"]

    # Cashew: three co-op households in Xã Bù Gia Mập.
    cashew_plots = []
    for index, (area, lat, lng) in enumerate(
        [("2.4", 11.9312, 106.9721), ("1.8", 11.9275, 106.9803), ("3.1", 11.9358, 106.9652)], start=1
    ):
        farmer, household = users[f"cashew_farmer_{index}"], orgs[f"cashew_household_{index}"]
        cashew_plots.append(
            _plot(farmer, household, f"Vườn điều {index}", area, "cashew", lat, lng, code=f"VN-75-BGM-{index:03d}")
        )
    certificate = certificates.create_certificate(
        manager,
        {
            "organization_id": orgs["cashew_household_1"].id,
            "type": "vietgap",
            "number": "VietGAP-TT-25-07-75-0041",
            "issuer": "Trung tâm Chứng nhận Phù hợp (QUACERT)",
            "valid_from": date(2025, 6, 1),
            "valid_to": date(2027, 5, 31),
            "plot_ids": [cashew_plots[0].id],
        },
    )
    certificates.verify_certificate(officer, certificate.id, "verified", "Đã đối chiếu bản gốc.")
    _pending_certificate(manager, orgs["cashew_household_2"], cashew_plots[1])

    raw_lots = []
    for index, (quantity, day) in enumerate(
        [("1240", "2026-03-12"), ("960", "2026-03-15"), ("1510", "2026-03-18")], start=1
    ):
        farmer, household = users[f"cashew_farmer_{index}"], orgs[f"cashew_household_{index}"]
        lot = batches.record_harvest(
            farmer,
            product="raw_cashew_nuts",
            quantity=Decimal(quantity),
            plot_ids=[cashew_plots[index - 1].id],
            organization_id=household.id,
            harvest_start=date(2026, 2, 20),
            harvest_end=date.fromisoformat(day),
            event_time=f"{day}T16:30:00+07:00",
            note="Nhặt hạt rụng, tách trái.",
        )
        dried = date.fromisoformat(day) + timedelta(days=3)
        _step(
            farmer,
            lot.code,
            "sun_drying",
            f"{dried.isoformat()}T17:00:00+07:00",
            [("moisture", "10.5", "percent")],
            note="Phơi nắng 3 ngày trên sân xi măng.",
        )
        shipment = custody.ship(
            farmer,
            lot.code,
            to_organization_id=orgs["coop"].id,
            reference=f"PN-HTX-{index:03d}",
            event_time=f"2026-03-{20 + index}T08:00:00+07:00",
        )
        custody.receive(manager, shipment.id, event_time=f"2026-03-{20 + index}T10:00:00+07:00")
        raw_lots.append(lot)
    lots["cashew_raw"] = raw_lots[0]

    merged, _warnings = operations.merge(
        manager,
        [lot.code for lot in raw_lots],
        note="Gom hàng vụ 2026 của HTX.",
        event_time="2026-03-25T09:00:00+07:00",
    )
    _step(
        manager,
        merged.code,
        "inspecting",
        "2026-03-25T10:00:00+07:00",
        [("kor", "48.5", "lbs_per_80kg"), ("moisture", "10.2", "percent"), ("foreign_matter", "0.8", "percent")],
    )
    lots["cashew_merged"] = merged
    shipment = custody.ship(
        manager,
        merged.code,
        to_organization_id=orgs["processor"].id,
        reference="HĐ-2026-0312",
        event_time="2026-03-27T07:30:00+07:00",
    )
    custody.receive(processor, shipment.id, event_time="2026-03-27T15:00:00+07:00")
    total = merged.quantity_remaining
    _event, kernels = operations.transform(
        processor,
        inputs=[{"code": merged.code}],
        outputs=[
            {
                "product": "cashew_kernels",
                "grade": "W240",
                "quantity": (total * Decimal("0.13")).quantize(Decimal("1")),
                "unit": "kg",
            },
            {
                "product": "cashew_kernels",
                "grade": "W320",
                "quantity": (total * Decimal("0.10")).quantize(Decimal("1")),
                "unit": "kg",
            },
        ],
        step="shelling",
        event_time="2026-04-10T14:00:00+07:00",
        note="Hấp, tách vỏ, sấy nhân, bóc lụa, phân loại.",
    )
    for kernel in kernels:
        _step(processor, kernel.code, "grading", "2026-04-12T09:00:00+07:00", [("moisture", "4.5", "percent")])
    lots["cashew_w240"], lots["cashew_w320"] = kernels[0], kernels[1]

    # Pepper: a household in Xã Lộc Ninh.
    farmer, household = users["pepper_farmer"], orgs["pepper_household"]
    pepper_plot = _plot(farmer, household, "Vườn tiêu Ấp 3", "1.2", "pepper", 11.8462, 106.5894)
    fresh = batches.record_harvest(
        farmer,
        product="fresh_pepper",
        quantity=Decimal("2000"),
        plot_ids=[pepper_plot.id],
        organization_id=household.id,
        harvest_start=date(2026, 2, 1),
        harvest_end=date(2026, 2, 14),
        event_time="2026-02-14T17:00:00+07:00",
    )
    _step(farmer, fresh.code, "threshing", "2026-02-15T08:00:00+07:00")
    _event, (black,) = operations.transform(
        farmer,
        inputs=[{"code": fresh.code}],
        outputs=[{"product": "black_pepper", "grade": "500GL", "quantity": "640", "unit": "kg"}],
        step="sun_drying",
        event_time="2026-02-19T17:00:00+07:00",
        measurements=[{"type": "moisture", "value": "12.5", "unit": "percent"}],
    )
    _step(
        farmer,
        black.code,
        "grading",
        "2026-02-21T09:00:00+07:00",
        [("density", "560", "g_per_l"), ("foreign_matter", "0.5", "percent")],
    )
    lots["pepper_fresh"], lots["pepper_black"] = fresh, black

    # Rubber: two smallholders in Xã Phú Riềng; the second has a 5 ha plot with only a point (not EUDR-ready).
    ready_plot = _plot(
        users["rubber_farmer_1"], orgs["rubber_household_1"], "Lô cao su 1", "2.8", "rubber", 11.7015, 106.9237
    )
    point_plot = _plot(
        users["rubber_farmer_2"],
        orgs["rubber_household_2"],
        "Lô cao su đồi",
        "5.2",
        "rubber",
        11.7102,
        106.9311,
        polygon=False,
    )
    for key, farmer_key, org_key, plot, quantity, drc in (
        ("rubber_latex_ready", "rubber_farmer_1", "rubber_household_1", ready_plot, "800", "32.5"),
        ("rubber_latex_point", "rubber_farmer_2", "rubber_household_2", point_plot, "600", "30.0"),
    ):
        latex = batches.record_harvest(
            users[farmer_key],
            product="field_latex",
            quantity=Decimal(quantity),
            drc_percent=Decimal(drc),
            plot_ids=[plot.id],
            organization_id=orgs[org_key].id,
            harvest_date=date(2026, 11, 20),
            event_time="2026-11-20T09:30:00+07:00",
        )
        shipment = custody.ship(
            users[farmer_key],
            latex.code,
            to_organization_id=orgs["processor"].id,
            event_time="2026-11-20T13:00:00+07:00",
        )
        custody.receive(processor, shipment.id, event_time="2026-11-20T15:00:00+07:00")
        lots[key] = latex
    dry = (Decimal("800") * Decimal("0.325")).quantize(Decimal("1"))
    _event, (svr,) = operations.transform(
        processor,
        inputs=[{"code": lots["rubber_latex_ready"].code}],
        outputs=[{"product": "svr", "grade": "10", "quantity": str(dry - 4), "unit": "kg"}],
        step="coagulation",
        event_time="2026-11-22T10:00:00+07:00",
        note="Đánh đông, cán crếp, băm cốm, sấy, ép bành 33,33 kg.",
    )
    lots["rubber_svr"] = svr
    return lots
