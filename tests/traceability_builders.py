"""Builders for traceability test data (plots, certificates, batches), written through the models."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from core.accounts.models import Organization, User
from core.db import utcnow
from core.extensions import db
from traceability.models import Certificate, CertificateType, Plot, VerificationState

_counter = itertools.count(1)
COMMUNE = "25270"  # Xã Lộc Ninh, Đồng Nai


def point(lng: float = 106.581234, lat: float = 11.851234) -> dict:
    return {"type": "Point", "coordinates": [lng, lat]}


def square(lng: float = 106.581234, lat: float = 11.851234, side: float = 0.001) -> dict:
    """A closed square polygon of ``side`` degrees starting at (lng, lat)."""
    ring = [[lng, lat], [lng + side, lat], [lng + side, lat + side], [lng, lat + side], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def make_plot(
    organization: Organization,
    *,
    name: str | None = None,
    area_ha: Decimal | str = "1.5",
    commune_code: str = COMMUNE,
    crops: list[str] | None = None,
    geometry: dict | None = None,
    deforestation_free: bool = True,
    declared_by: User | None = None,
    growing_area_code: str | None = None,
) -> Plot:
    plot = Plot(
        organization_id=organization.id,
        name=name or f"Lô {next(_counter)}",
        commune_code=commune_code,
        area_ha=Decimal(area_ha),
        crops=crops if crops is not None else ["cashew"],
        geometry=geometry,
        geometry_type=geometry["type"] if geometry else None,
        growing_area_code=growing_area_code,
        deforestation_free=deforestation_free,
        deforestation_declared_at=utcnow() if deforestation_free else None,
        deforestation_declared_by_id=declared_by.id if declared_by and deforestation_free else None,
    )
    db.session.add(plot)
    db.session.commit()
    return plot


def make_certificate(
    organization: Organization,
    plots: list[Plot] | None = None,
    *,
    type: CertificateType | str = CertificateType.VIETGAP,
    number: str | None = None,
    issuer: str = "Trung tâm Chứng nhận Phù hợp (QUACERT)",
    valid_from: date = date(2025, 1, 1),
    valid_to: date = date(2027, 12, 31),
    verification: VerificationState | str = VerificationState.PENDING,
) -> Certificate:
    certificate = Certificate(
        organization_id=organization.id,
        type=CertificateType(type),
        number=number or f"VG-{next(_counter):05d}",
        issuer=issuer,
        valid_from=valid_from,
        valid_to=valid_to,
        verification=VerificationState(verification),
    )
    certificate.plots = list(plots or [])
    db.session.add(certificate)
    db.session.commit()
    return certificate


def seeded(app, build):
    """Run ``build`` in its own app context and return its result (requests made afterwards get fresh contexts)."""
    with app.app_context():
        try:
            return build()
        finally:
            db.session.remove()


def audited(app) -> None:
    """Run the full ledger audit, as beat does every hour: trace pages show its verdict."""
    from traceability.services import integrity

    seeded(app, integrity.audit_ledger)


class PlotWorld:
    """A household, a co-op with a member household, an outsider and a department officer, each with a token."""

    def __init__(self, app):
        from core.accounts.models import OrganizationKind
        from tests.builders import join_cooperative, make_org, make_token

        def make_user(phone: str, name: str) -> User:
            # API callers only: no password hash to compute, which keeps these tests quick.
            user = User(phone=phone, name=name, password_hash="!")
            db.session.add(user)
            db.session.commit()
            return user

        def build():
            farmer = make_user(phone="+84912000001", name="Nguyễn Thị Hà")
            farm = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Nguyễn Thị Hà", owner=farmer, commune_code=COMMUNE)
            manager = make_user(phone="+84912000002", name="Trần Văn Minh")
            coop = make_org(OrganizationKind.COOPERATIVE, name="HTX Điều Lộc Ninh", owner=manager, commune_code=COMMUNE)
            member_owner = make_user(phone="+84912000003", name="Lê Văn Cúc")
            member = make_org(
                OrganizationKind.HOUSEHOLD, name="Hộ Lê Văn Cúc", owner=member_owner, commune_code=COMMUNE
            )
            join_cooperative(coop, member)
            outsider = make_user(phone="+84912000004", name="Phạm Văn Bình")
            other = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Phạm Văn Bình", owner=outsider, commune_code=COMMUNE)
            officer = make_user(phone="+84912000005", name="Cán bộ Sở")
            make_org(
                OrganizationKind.DEPARTMENT,
                name="Sở Nông nghiệp và Môi trường Đồng Nai",
                owner=officer,
                commune_code=COMMUNE,
            )
            return {
                "farm": farm.id,
                "coop": coop.id,
                "member": member.id,
                "other": other.id,
                "farmer": make_token(farmer),
                "manager": make_token(manager),
                "member_owner": make_token(member_owner),
                "outsider": make_token(outsider),
                "officer": make_token(officer),
                "farmer_id": farmer.id,
                "manager_id": manager.id,
            }

        for key, value in seeded(app, build).items():
            setattr(self, key, value)
        self.app = app

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {getattr(self, who)}"}


# --- Batches (T2) ---------------------------------------------------------------------------------

HARVESTED_FORM = {"cashew": "raw_cashew_nuts", "pepper": "fresh_pepper", "rubber": "field_latex"}


def make_harvest(
    user: User,
    plots: list[Plot],
    *,
    quantity: Decimal | str = "1000",
    product: str | None = None,
    harvest_date: date | None = None,
    organization: Organization | None = None,
    **fields,
):
    """A harvested lot recorded through the harvest service (so its event and hash chain are real)."""
    from datetime import timedelta

    from traceability.services.batches import record_harvest

    commodity = (plots[0].crops or ["cashew"])[0] if plots else "cashew"
    product = product or HARVESTED_FORM[commodity]
    if product == "field_latex":
        fields.setdefault("drc_percent", Decimal("32"))
    return record_harvest(
        user,
        product=product,
        quantity=Decimal(quantity),
        plot_ids=[plot.id for plot in plots],
        harvest_date=harvest_date or date.today() - timedelta(days=1),
        organization_id=organization.id if organization else None,
        **fields,
    )


_PASSWORD_HASH: list[str] = []


def quick_user(name: str) -> User:
    """A user who signs in with an API token only; one password hash per run keeps worlds of many users fast."""
    from core.security import hash_password
    from tests.builders import PASSWORD

    if not _PASSWORD_HASH:
        _PASSWORD_HASH.append(hash_password(PASSWORD))
    user = User(phone=f"+8497{next(_counter):07d}", name=name, password_hash=_PASSWORD_HASH[0])
    db.session.add(user)
    db.session.commit()
    return user


class BatchWorld:
    """Three cashew households with a plot each, a processor, an outsider and a department officer, with tokens.

    Attributes are ids and tokens (usable outside an app context); ``harvest(who, ...)``
    records a lot for a household and returns its code.
    """

    HOUSEHOLDS = ("an", "binh", "cuc")

    def __init__(self, app, crop: str = "cashew"):
        from core.accounts.models import OrganizationKind
        from tests.builders import make_org, make_token

        def build():
            ids: dict = {}
            for index, who in enumerate(self.HOUSEHOLDS, start=1):
                user = quick_user(f"Nông dân {who}")
                farm = make_org(OrganizationKind.HOUSEHOLD, name=f"Hộ {who}", owner=user, commune_code=COMMUNE)
                plot = make_plot(
                    farm, name=f"Vườn {who}", crops=[crop], geometry=point(106.5 + index / 100, 11.8), area_ha="1.2"
                )
                ids.update(
                    {f"{who}_user": user.id, f"{who}_org": farm.id, f"{who}_plot": plot.id, who: make_token(user)}
                )
            processor_user = quick_user("Chủ xưởng")
            processor = make_org(
                OrganizationKind.PROCESSOR, name="Xưởng điều Lộc Ninh", owner=processor_user, commune_code=COMMUNE
            )
            outsider_user = quick_user("Người ngoài")
            outsider = make_org(
                OrganizationKind.TRADER, name="Thương lái khác", owner=outsider_user, commune_code=COMMUNE
            )
            officer = quick_user("Cán bộ Sở")
            make_org(OrganizationKind.DEPARTMENT, name="Sở NN&MT Đồng Nai", owner=officer, commune_code=COMMUNE)
            ids.update(
                processor_user=processor_user.id,
                processor_org=processor.id,
                processor=make_token(processor_user),
                outsider_user=outsider_user.id,
                outsider_org=outsider.id,
                outsider=make_token(outsider_user),
                officer=make_token(officer),
            )
            return ids

        for key, value in seeded(app, build).items():
            setattr(self, key, value)
        self.app = app

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {getattr(self, who)}"}

    def harvest(self, who: str, quantity: str = "1000", **fields) -> str:
        def build():
            user = db.session.get(User, getattr(self, f"{who}_user"))
            plot = db.session.get(Plot, getattr(self, f"{who}_plot"))
            return make_harvest(user, [plot], quantity=quantity, **fields).code

        return seeded(self.app, build)
