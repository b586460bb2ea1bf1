"""A marketplace world: sellers with traceable lots, buyers, tokens; helpers to list, publish and order."""

from __future__ import annotations

import itertools

import pytest

from core.accounts.models import OrganizationKind, User
from core.extensions import db
from tests.builders import make_org, make_token
from tests.traceability_builders import make_certificate, make_harvest, make_plot, point, quick_user, seeded
from traceability.models import Plot, VerificationState

_emails = itertools.count(1)

LOC_NINH, BU_GIA_MAP, PHU_RIENG = "25270", "25222", "25264"
HO_CHI_MINH_COMMUNE = "27316"  # Phường An Đông, Thành phố Hồ Chí Minh (province 79)


def person(name: str, locale: str = "vi") -> User:
    user = quick_user(name)
    user.email = f"market{next(_emails)}@example.com"
    user.locale = locale
    db.session.commit()
    return user


class MarketWorld:
    """Sellers: ``cashew`` (Lộc Ninh, VietGAP), ``pepper`` (Bù Gia Mập), ``rubber`` (Phú Riềng, one ready plot, one
    not).
    Buyers: ``buyer`` (English-speaking importer) and ``other_buyer``; tokens under the same names."""

    def __init__(self, app):
        def build():
            ids: dict = {}
            for who, crop, commune, locale in (
                ("cashew", "cashew", LOC_NINH, "vi"),
                ("pepper", "pepper", BU_GIA_MAP, "en"),
                ("rubber", "rubber", PHU_RIENG, "vi"),
            ):
                user = person(f"Người bán {who}", locale)
                org = make_org(OrganizationKind.HOUSEHOLD, name=f"Hộ bán {who}", owner=user, commune_code=commune)
                plot = make_plot(
                    org,
                    name=f"Vườn {who}",
                    crops=[crop],
                    commune_code=commune,
                    geometry=point(106.5, 11.8),
                    area_ha="1.2",
                )
                ids.update(
                    {
                        f"{who}_user": user.id,
                        f"{who}_login": user.phone,
                        f"{who}_org": org.id,
                        f"{who}_plot": plot.id,
                        who: make_token(user),
                    }
                )
                if who == "cashew":
                    make_certificate(org, [plot], verification=VerificationState.VERIFIED)
                if who == "rubber":
                    bare = make_plot(
                        org, name="Vườn chưa đo", crops=["rubber"], commune_code=commune, geometry=None, area_ha="2"
                    )
                    ids["rubber_bare_plot"] = bare.id
            for who, locale in (("buyer", "en"), ("other_buyer", "vi")):
                user = person(f"Người mua {who}", locale)
                org = make_org(OrganizationKind.BUYER, name=f"Công ty mua {who}", owner=user, commune_code=None)
                ids.update(
                    {f"{who}_user": user.id, f"{who}_login": user.phone, f"{who}_org": org.id, who: make_token(user)}
                )
            return ids

        for key, value in seeded(app, build).items():
            setattr(self, key, value)
        self.app = app

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {getattr(self, who)}"}

    def harvest(self, who: str, quantity: str = "1000", plot: str | None = None) -> str:
        def build():
            user = db.session.get(User, getattr(self, f"{who}_user"))
            chosen = db.session.get(Plot, getattr(self, plot or f"{who}_plot"))
            return make_harvest(user, [chosen], quantity=quantity).code

        return seeded(self.app, build)


@pytest.fixture
def world(app):
    return MarketWorld(app)


def listing_payload(code: str, **overrides) -> dict:
    payload = {
        "batch_code": code,
        "title": "Điều thô Lộc Ninh",
        "price_per_kg": 35000,
        "quantity": "500",
        "payment_methods": ["cod"],
    }
    payload.update(overrides)
    return payload


def create_listing(client, world, who: str, code: str, *, publish: bool = True, **overrides) -> dict:
    response = client.post("/api/v1/listings", json=listing_payload(code, **overrides), headers=world.auth(who))
    assert response.status_code == 201, response.json
    if not publish:
        return response.json
    published = client.patch(
        f"/api/v1/listings/{response.json['id']}", json={"status": "active"}, headers=world.auth(who)
    )
    assert published.status_code == 200, published.json
    return published.json


def place(client, world, who: str, items: list[tuple[str, str]], **extra):
    body = {
        "items": [{"listing_id": i, "quantity": q} for i, q in items],
        "payment_method": "cod",
        "delivery": {"method": "pickup"},
    }
    body.update(extra)
    return client.post("/api/v1/orders", json=body, headers=world.auth(who))


def move(client, world, who: str, order_id: str, to: str, **extra):
    return client.post(f"/api/v1/orders/{order_id}/transitions", json={"to": to, **extra}, headers=world.auth(who))
