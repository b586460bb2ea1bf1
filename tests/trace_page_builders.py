"""Builders for the public trace page: a lot made of 200 earlier lots with about 2,000 events.

Everything goes through the real services (harvest, merge, ship, receive,
transform, split), so lineage edges, origin plots and the hash chain are what
production writes; only the many drying checks on the farm lots are appended
straight through ``ledger.append_event`` (still hash-chained) to keep the build
quick. Used by the speed-budget tests and by ``python -m benchmarks``.

``build_story`` makes a small lot whose household has a distinctive phone,
e-mail, street and plot corner, for the tests that prove none of it is shown.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from PIL import Image
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from core.accounts.models import OrganizationKind, User
from core.extensions import db
from core.files.services import store_image
from tests.builders import make_org
from tests.traceability_builders import COMMUNE, make_certificate, make_harvest, make_plot, quick_user, square
from traceability.models import Batch, Event, EventType, Plot, QuantityRole, VerificationState
from traceability.services import corrections, custody, ledger, operations
from traceability.services.batches import record_step

FARMS = 18
LOTS_PER_FARM = 10  # 180 harvests, 18 farm lots, 1 co-op pool, 1 kernel bulk: 200 lots behind the packed lot
HARVEST_KG = "100"


@dataclass(frozen=True)
class DeepLot:
    code: str  # the packed lot: 200 ancestors
    ancestors: int
    events: int


def counted(app, send):
    """The response of ``send()`` and the SQL statements it ran."""
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE (core.db) opens a transaction; it asks nothing
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    sqlalchemy_event.listen(engine, "before_cursor_execute", listener)
    try:
        response = send()
    finally:
        sqlalchemy_event.remove(engine, "before_cursor_execute", listener)
    return response, statements


def _drying_checks(user: User, batch: Batch, count: int) -> None:
    for index in range(count):
        ledger.append_event(
            type=EventType.OBJECT,
            action="OBSERVE",
            operation="process",
            biz_step="https://nongsan.example/voc/bizstep/sun_drying",
            organization_id=batch.custodian_id,
            user_id=user.id,
            movements=[ledger.Movement(batch, QuantityRole.OBSERVED, batch.quantity_remaining)],
            measurements=[{"type": "moisture", "value": str(Decimal("14.0") - Decimal(index) / 4), "unit": "percent"}],
        )


def build_deep_lot(target_events: int = 2000) -> DeepLot:
    """Eighteen households' cashew pooled by a co-op, shelled by a processor and packed: call inside an app context."""
    manager = quick_user("Quản lý HTX")
    coop = make_org(OrganizationKind.COOPERATIVE, name="HTX Điều Bù Gia Mập", owner=manager, commune_code="25222")
    owner = quick_user("Chủ xưởng")
    processor = make_org(
        OrganizationKind.PROCESSOR, name="Công ty Chế biến Điều Đồng Xoài", owner=owner, commune_code="25210"
    )
    structural = FARMS * LOTS_PER_FARM + FARMS * 3 + 1 + 2 + 1 + 1
    checks = max(0, target_events - structural)
    farm_lots = []
    harvest_day = date.today() - timedelta(days=20)
    for farm_index in range(FARMS):
        user = quick_user(f"Nông dân {farm_index}")
        farm = make_org(
            OrganizationKind.HOUSEHOLD, name=f"Hộ điều số {farm_index + 1}", owner=user, commune_code="25222"
        )
        plot = make_plot(
            farm, name=f"Vườn điều {farm_index + 1}", geometry=square(106.8 + farm_index / 100, 11.9), area_ha="1.2"
        )
        if farm_index % 3 == 0:
            make_certificate(
                farm, [plot], verification=VerificationState.VERIFIED, valid_from=harvest_day - timedelta(days=300)
            )
        codes = []
        for lot_index in range(LOTS_PER_FARM):
            batch = make_harvest(user, [plot], quantity=HARVEST_KG, harvest_date=harvest_day)
            share = checks // (FARMS * LOTS_PER_FARM) + (
                1 if farm_index * LOTS_PER_FARM + lot_index < checks % (FARMS * LOTS_PER_FARM) else 0
            )
            _drying_checks(user, batch, share)
            codes.append(batch.code)
        db.session.commit()
        merged, _warnings = operations.merge(user, codes)
        shipment = custody.ship(user, merged.code, to_organization_id=coop.id)
        custody.receive(manager, shipment.id)
        farm_lots.append(merged.code)
    pool, _warnings = operations.merge(manager, farm_lots)
    shipment = custody.ship(manager, pool.code, to_organization_id=processor.id)
    custody.receive(owner, shipment.id)
    total = Decimal(HARVEST_KG) * FARMS * LOTS_PER_FARM
    _event, (kernels,) = operations.transform(
        owner,
        inputs=[{"code": pool.code}],
        outputs=[{"product": "cashew_kernels", "grade": "W320", "quantity": total * Decimal("0.23"), "unit": "kg"}],
        step="shelling",
    )
    _parent, (packed,) = operations.split(owner, kernels.code, parts=[{"quantity": Decimal("1000")}])
    return DeepLot(packed.code, ancestors=FARMS * LOTS_PER_FARM + FARMS + 2, events=structural + checks)


# --- A household's lot with private details that must never reach the page -----------------------

SECRET_PHONE = "+84987650123"
SECRET_EMAIL = "ba.bi.mat@example.vn"
SECRET_PERSON = "Trần Thị Bí Mật"
SECRET_STREET = "123 Đường Kín Đáo"
SECRET_PLOT_STREET = "Ấp Riêng Tư 7"
LNG, LAT = 106.587613, 11.853497  # a household's exact plot corner


def jpeg(color=(180, 120, 40)) -> FileStorage:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), color).save(buffer, "JPEG")
    buffer.seek(0)
    return FileStorage(stream=buffer, filename="step.jpg", content_type="image/jpeg")


def build_story() -> dict:
    """A household's cashew with a distinctive phone, street and plot, dried (photo), corrected, shipped and shelled."""
    farmer = User(phone=SECRET_PHONE, email=SECRET_EMAIL, name=SECRET_PERSON, password_hash="!")
    db.session.add(farmer)
    db.session.commit()
    farm = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Điều Lộc Ninh", owner=farmer, commune_code=COMMUNE)
    farm.street = SECRET_STREET
    plot = make_plot(farm, name="Vườn đồi", geometry=square(LNG, LAT, side=0.002), area_ha="4.8")
    db.session.get(Plot, plot.id).street = SECRET_PLOT_STREET
    db.session.commit()
    make_certificate(farm, [plot], number="VG-CHECKED", verification=VerificationState.VERIFIED)
    make_certificate(farm, [plot], number="VG-WAITING")
    make_certificate(
        farm,
        [plot],
        number="VG-EXPIRED",
        valid_from=date(2020, 1, 1),
        valid_to=date(2021, 1, 1),
        verification=VerificationState.VERIFIED,
    )
    harvest = make_harvest(farmer, [plot], quantity="1000", harvest_date=date.today() - timedelta(days=3))
    photo = store_image(farmer, farm.id, jpeg())
    record_step(
        farmer,
        harvest.code,
        step="sun_drying",
        measurements=[{"type": "moisture", "value": "10.5"}],
        photos=[photo.public_id],
        note=f"Gọi {SECRET_PHONE} để mua",
        location={"name": f"Sân phơi, {SECRET_STREET}", "commune_code": COMMUNE},
    )
    harvest_event = db.session.scalar(select(Event.id).where(Event.operation == "harvest"))
    corrections.correct(
        farmer, harvest_event, reason="incorrect_data", quantity=Decimal("950"), note=f"sai số, gọi {SECRET_PHONE}"
    )
    owner = quick_user("Chủ xưởng Bí Mật")
    processor = make_org(OrganizationKind.PROCESSOR, name="Xưởng Điều Phú Riềng", owner=owner, commune_code="25264")
    shipment = custody.ship(farmer, harvest.code, to_organization_id=processor.id)
    custody.receive(owner, shipment.id)
    _event, (kernels,) = operations.transform(
        owner,
        inputs=[{"code": harvest.code}],
        outputs=[{"product": "cashew_kernels", "grade": "W240", "quantity": "220"}],
        step="shelling",
    )
    record_step(owner, kernels.code, step="packing")
    return {
        "harvest": harvest.code,
        "kernels": kernels.code,
        "photo": photo.public_id,
        "farmer_id": farmer.id,
        "owner_id": owner.id,
    }


# --- Three households' harvests pooled by a co-op ---------------------------------------------------

HOUSEHOLDS = ("Hộ Điều Bà Năm", "Hộ Điều Anh Tư", "Hộ Điều Chú Bảy")
HARVEST_AGO = (30, 20, 10)  # days before today each household harvested (all typed in today)


def build_three_household_merge() -> dict:
    """Three households harvest on three days (each recorded today), ship to a co-op, which merges the three lots."""
    manager = quick_user("Quản lý HTX Ba Hộ")
    coop = make_org(OrganizationKind.COOPERATIVE, name="HTX Điều Ba Hộ", owner=manager, commune_code=COMMUNE)
    codes, days = [], []
    for index, (name, ago) in enumerate(zip(HOUSEHOLDS, HARVEST_AGO, strict=True)):
        farmer = quick_user(f"Chủ {name}")
        farm = make_org(OrganizationKind.HOUSEHOLD, name=name, owner=farmer, commune_code=COMMUNE)
        plot = make_plot(farm, name=f"Vườn số {index + 1}", geometry=square(106.6 + index / 50, 11.85))
        day = date.today() - timedelta(days=ago)
        harvest = make_harvest(farmer, [plot], quantity="200", harvest_date=day)
        shipment = custody.ship(farmer, harvest.code, to_organization_id=coop.id)
        custody.receive(manager, shipment.id)
        codes.append(harvest.code)
        days.append(day)
    merged, _warnings = operations.merge(manager, codes)
    return {"merged": merged.code, "harvests": codes, "days": days, "manager_id": manager.id}


# --- A co-op's own plots: an organization's plots are placed on the page's map ----------------------

COOP_POLYGON_CORNER = (106.912345, 11.456789)
COOP_POINT = (106.921234, 11.462345)


def build_coop_plots() -> str:
    """A co-op harvests from its own polygon plot and its own GPS-point plot; the lot's code."""
    manager = quick_user("Quản lý HTX Có Vườn")
    coop = make_org(OrganizationKind.COOPERATIVE, name="HTX Điều Có Vườn", owner=manager, commune_code=COMMUNE)
    polygon = make_plot(coop, name="Vườn tập thể", geometry=square(*COOP_POLYGON_CORNER, side=0.004), area_ha="20")
    spot = make_plot(coop, name="Vườn ươm", geometry={"type": "Point", "coordinates": list(COOP_POINT)}, area_ha="0.5")
    return make_harvest(manager, [polygon, spot], quantity="800").code
