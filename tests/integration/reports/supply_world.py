"""A fixed season the reports' figures are checked against by hand.

Phường Bình Long (25326) was made in 2025 from communes of two former districts; its farmers here registered
their plots with their old addresses, one in Huyện Hớn Quản, one in Thị xã Bình Long, and both became 25326.

Cashew, season 2025/26 (period 2025/26):
    H1  Bình Long (was Xã Thanh Bình, Hớn Quản)  P1 2 ha            2026-03-10  1200 kg
                                                                 2026-03-25   999 kg  declared never harvested
                                                                 2025-09-15   700 kg  (season 2024/25)
    H2  Bình Long (was Phường An Lộc, Bình Long)  P2 1 ha VietGAP    2026-03-20   800 kg
                                                                 2026-04-05   500 kg
    H3  Lộc Ninh                                 P3 1 ha Lộc Ninh + P4 3 ha Bình Long, one lot:
                                                                 2026-04-15  2000 kg  → 500 Lộc Ninh, 1500 Bình Long
    H4  Bình Long                                P7 1 ha            2026-04-20   300 kg
  Bình Long: 1200 + 800 + 500 + 1500 + 300 = 4300 kg, 4 producers, 5 lots; Lộc Ninh: 500 kg, 1 producer, 1 lot.
  March 2000 kg (H1, H2: 2 producers in Bình Long); April 2800 kg (Bình Long 2300 from H2, H3, H4; Lộc Ninh 500).
  Certified (VietGAP): 800 + 500 = 1300 of 4800 kg; area 1 of 8 ha of cashew plots.
  Processing: H3 2000 → 460 kg kernels (0.23), H4 300 → 150 kg kernels (0.5, outside the band, with a reason).

Rubber, 2026-05:
    H1  P5 2 ha polygon, declared    600 kg latex   ready
    H2  P6 6 ha point, declared      900 kg latex   not ready: a plot over 4 ha needs a polygon
  1500 kg, 600 ready (0.4); 2 plots, 1 ready (0.5).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from core.accounts.models import OrganizationKind
from core.extensions import db
from core.geo.services import match_old_address
from reports import rollup
from tests.builders import make_org, make_token
from tests.traceability_builders import make_certificate, make_harvest, make_plot, point, quick_user, seeded, square
from traceability.models import EventQuantity, QuantityRole, VerificationState

BINH_LONG = "25326"
LOC_NINH = "25270"
WAS_HON_QUAN = "Xã Thanh Bình, Huyện Hớn Quản, Bình Phước"
WAS_BINH_LONG = "Phường An Lộc, Thị xã Bình Long, Bình Phước"


def _harvest_event_id(batch) -> int:
    return db.session.scalar(
        select(EventQuantity.event_id).where(
            EventQuantity.batch_id == batch.id, EventQuantity.role == QuantityRole.OUTPUT
        )
    )


class SupplyWorld:
    def __init__(self, app):
        from traceability.services.corrections import correct
        from traceability.services.operations.transformations import transform

        def household(name: str, commune: str):
            user = quick_user(name)
            return user, make_org(OrganizationKind.HOUSEHOLD, name=f"Hộ {name}", owner=user, commune_code=commune)

        def harvest(user, plots, quantity: str, day: date):
            # Recorded on the evening of the harvest, as a farmer would.
            return make_harvest(
                user, plots, quantity=quantity, harvest_date=day, event_time=f"{day.isoformat()}T17:00:00+07:00"
            )

        def build():
            hon_quan = match_old_address(WAS_HON_QUAN).commune.code
            old_binh_long = match_old_address(WAS_BINH_LONG).commune.code
            u1, h1 = household("Nguyễn Văn Một", hon_quan)
            u2, h2 = household("Trần Thị Hai", old_binh_long)
            u3, h3 = household("Lê Văn Ba", LOC_NINH)
            u4, h4 = household("Phạm Thị Bốn", BINH_LONG)
            p1 = make_plot(h1, area_ha="2", commune_code=hon_quan, crops=["cashew"], geometry=point())
            p2 = make_plot(h2, area_ha="1", commune_code=old_binh_long, crops=["cashew"], geometry=point())
            p3 = make_plot(h3, area_ha="1", commune_code=LOC_NINH, crops=["cashew"], geometry=point())
            p4 = make_plot(h3, area_ha="3", commune_code=BINH_LONG, crops=["cashew"], geometry=square())
            p7 = make_plot(h4, area_ha="1", commune_code=BINH_LONG, crops=["cashew"], geometry=point())
            p5 = make_plot(h1, area_ha="2", commune_code=BINH_LONG, crops=["rubber"], geometry=square(), declared_by=u1)
            p6 = make_plot(h2, area_ha="6", commune_code=BINH_LONG, crops=["rubber"], geometry=point(), declared_by=u2)
            make_certificate(h2, [p2], valid_from=date(2025, 1, 1), valid_to=date(2027, 12, 31))
            make_certificate(
                h1, [p1], number="REJECTED-1", verification=VerificationState.REJECTED, valid_to=date(2027, 12, 31)
            )

            harvest(u1, [p1], "1200", date(2026, 3, 10))
            never = harvest(u1, [p1], "999", date(2026, 3, 25))
            correct(u1, _harvest_event_id(never), reason="did_not_occur", note="Nhập nhầm")
            harvest(u1, [p1], "700", date(2025, 9, 15))
            harvest(u2, [p2], "800", date(2026, 3, 20))
            harvest(u2, [p2], "500", date(2026, 4, 5))
            shared = harvest(u3, [p3, p4], "2000", date(2026, 4, 15))
            small = harvest(u4, [p7], "300", date(2026, 4, 20))
            harvest(u1, [p5], "600", date(2026, 5, 10))
            harvest(u2, [p6], "900", date(2026, 5, 12))

            transform(
                u3,
                inputs=[{"code": shared.code, "quantity": Decimal("2000")}],
                outputs=[{"product": "cashew_kernels", "grade": "W320", "quantity": Decimal("460")}],
                step="shelling",
                event_time="2026-04-25T08:00:00+07:00",
            )
            transform(
                u4,
                inputs=[{"code": small.code, "quantity": Decimal("300")}],
                outputs=[{"product": "cashew_kernels", "grade": "W240", "quantity": Decimal("150")}],
                step="shelling",
                reason="Hạt đã bóc vỏ một phần",
                event_time="2026-04-26T08:00:00+07:00",
            )
            officer = quick_user("Cán bộ Sở")
            make_org(OrganizationKind.DEPARTMENT, name="Sở Nông nghiệp và Môi trường Đồng Nai", owner=officer)
            rollup.refresh()
            return {
                "hon_quan": hon_quan,
                "old_binh_long": old_binh_long,
                "officer": make_token(officer),
                "officer_phone": officer.phone,
                "farmer": make_token(u1),
                "farmer_phone": u1.phone,
            }

        for key, value in seeded(app, build).items():
            setattr(self, key, value)
        self.app = app

    def auth(self, who: str = "officer") -> dict[str, str]:
        return {"Authorization": f"Bearer {getattr(self, who)}"}
