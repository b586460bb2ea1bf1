"""One organization of each kind with its data, a signed-in client per role, for the security tests.

The farmer's household holds everything private: a plot, a certificate, a harvested lot with a process step, a lot
on its way to the processor, a listing bought by the buyer, a bank account. Everyone else is one of the roles the
authorization matrix walks: the co-op manager (the household is a member of the co-op), the processor, the buyer,
the department officer, an administrator with no organization, and a farmer of another household.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.accounts.current import SESSION_KEY
from core.accounts.models import ApiToken, OrganizationKind, User
from core.extensions import db
from core.security import hash_password
from tests.builders import PASSWORD, add_member, join_cooperative, make_org, make_token
from tests.traceability_builders import COMMUNE, make_certificate, make_harvest, make_plot, point, seeded

ROLES = ("anonymous", "farmer", "coop", "processor", "buyer", "officer", "admin", "other")

# Text only the farmer's household (and those who may act for it) should ever see.
SECRET_PLOT = "Vườn riêng Zq7"
SECRET_TAX_CODE = "0319999999"
SECRET_ACCOUNT = "9704229876543210"
SECRET_STEP_NOTE = "Ghi chú riêng Xk4"


_PASSWORD_HASH: list[str] = []


def _user(name: str, phone: str, *, is_admin: bool = False) -> User:
    # One password hash per run (PASSWORD for everyone) keeps the world quick.
    if not _PASSWORD_HASH:
        _PASSWORD_HASH.append(hash_password(PASSWORD))
    user = User(phone=phone, name=name, password_hash=_PASSWORD_HASH[0], is_admin=is_admin)
    db.session.add(user)
    db.session.commit()
    return user


class SecurityWorld:
    """Ids, codes and tokens (usable outside an app context); ``api(role)`` and ``page(role)`` make requests."""

    def __init__(self, app: Flask):
        self.app = app

        def build() -> dict:
            ids: dict = {}
            people = {
                "farmer": ("Nông dân Hà", OrganizationKind.HOUSEHOLD),
                "coop": ("Chủ nhiệm HTX", OrganizationKind.COOPERATIVE),
                "processor": ("Chủ xưởng", OrganizationKind.PROCESSOR),
                "buyer": ("Người mua", OrganizationKind.BUYER),
                "officer": ("Cán bộ Sở", OrganizationKind.DEPARTMENT),
                "other": ("Nông dân khác", OrganizationKind.HOUSEHOLD),
            }
            orgs = {}
            for index, (role, (name, kind)) in enumerate(people.items(), start=1):
                user = _user(name, f"+849130000{index:02d}")
                orgs[role] = make_org(kind, name=f"{name} (tổ chức)", owner=user, commune_code=COMMUNE)
                ids[f"{role}_user"] = user.id
                ids[f"{role}_org"] = orgs[role].id
                ids[f"{role}_token"] = make_token(user)
            admin = _user("Quản trị", "+84913000099", is_admin=True)
            ids.update(admin_user=admin.id, admin_org=None, admin_token=make_token(admin))
            join_cooperative(orgs["coop"], orgs["farmer"])
            worker = _user("Người làm thuê", "+84913000098")
            add_member(orgs["farmer"], worker)
            ids["worker_user"] = worker.id
            ids["farmer_token_id"] = db.session.scalar(
                select(ApiToken.id).where(ApiToken.user_id == ids["farmer_user"])
            )
            ids["farmer_login"] = db.session.get(User, ids["farmer_user"]).phone
            orgs["farmer"].tax_code = SECRET_TAX_CODE
            db.session.commit()
            farmer = db.session.get(User, ids["farmer_user"])
            plot = make_plot(orgs["farmer"], name=SECRET_PLOT, geometry=point(), declared_by=farmer)
            other_plot = make_plot(orgs["other"], name="Vườn người khác", geometry=point(106.6, 11.9))
            certificate = make_certificate(orgs["farmer"], [plot])
            lot = make_harvest(farmer, [plot], quantity="1000")
            shipped = make_harvest(farmer, [plot], quantity="200")
            second = make_harvest(farmer, [plot], quantity="300")
            third = make_harvest(farmer, [plot], quantity="400")
            ids.update(
                plot=plot.id,
                other_plot=other_plot.id,
                certificate=certificate.id,
                lot=lot.code,
                shipped=shipped.code,
                lot2=second.code,
                lot3=third.code,
                other_login=db.session.get(User, ids["other_user"]).phone,
            )
            return ids

        for key, value in seeded(app, build).items():
            setattr(self, key, value)
        self.client = app.test_client()
        self._finish()

    def _finish(self) -> None:
        """The writes that go through the API as users make them: a step, a shipment, a listing, an order."""
        farmer = self.auth("farmer")
        step = self.client.post(
            f"/api/v1/batches/{self.lot}/events",
            json={"step": "sun_drying", "note": SECRET_STEP_NOTE},
            headers=farmer,
        )
        assert step.status_code == 201, step.json
        self.event = step.json["id"]
        self.event_uuid = step.json["event_uuid"]
        shipment = self.client.post(
            "/api/v1/shipments",
            json={"batch_code": self.shipped, "to_organization_id": self.processor_org},
            headers=farmer,
        )
        assert shipment.status_code == 201, shipment.json
        self.shipment = shipment.json["id"]
        account = self.client.put(
            f"/api/v1/organizations/{self.farmer_org}/bank-account",
            json={"bank_bin": "970422", "account_number": SECRET_ACCOUNT, "account_name": "Nguyen Thi Ha"},
            headers=farmer,
        )
        assert account.status_code == 200, account.json
        listing = self.client.post(
            "/api/v1/listings",
            json={
                "batch_code": self.lot,
                "title": "Điều thô Lộc Ninh",
                "price_per_kg": 35000,
                "quantity": "500",
                "payment_methods": ["cod", "vietqr"],
            },
            headers=farmer,
        )
        assert listing.status_code == 201, listing.json
        self.listing = listing.json["id"]
        published = self.client.patch(f"/api/v1/listings/{self.listing}", json={"status": "active"}, headers=farmer)
        assert published.status_code == 200, published.json
        order = self.client.post(
            "/api/v1/orders",
            json={
                "items": [{"listing_id": self.listing, "quantity": "10"}],
                "payment_method": "vietqr",
                "delivery": {"method": "pickup"},
            },
            headers=self.auth("buyer"),
        )
        assert order.status_code == 201, order.json
        self.order = order.json["orders"][0]["id"]

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {getattr(self, f'{role}_token')}"} if role != "anonymous" else {}

    def signed_in(self, role: str) -> FlaskClient:
        """A browser of ``role``, signed in as Flask-Login keeps it (anonymous: no session)."""
        client = self.app.test_client()
        if role != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = str(getattr(self, f"{role}_user"))
                session["_fresh"] = True
                organization_id = getattr(self, f"{role}_org")
                if organization_id is not None:
                    session[SESSION_KEY] = organization_id
        return client
