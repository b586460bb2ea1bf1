"""Sign-up and the organization profile take their address with the address picker.

An address typed the old way ("xã Lộc Thái, huyện Lộc Ninh") is stored as the new commune's
code; one that fits several new communes is shown again with the candidates to choose from,
and nothing is saved until the user picks one. "Show communes" only redraws the form.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from core.accounts.models import Organization, User
from core.extensions import db
from tests.builders import PASSWORD, add_member, make_org, make_user
from tests.integration.core.accounts.helpers import Seed, post_form, sign_in, sign_up

OLD_LOC_THAI = "xã Lộc Thái, huyện Lộc Ninh, Bình Phước"
LOC_NINH = "25270"  # Xã Lộc Ninh, Đồng Nai
DONG_PHU = "25363"  # Xã Đồng Phú, Đồng Nai: the first of the communes that were once a "xã Tân Lập"


def address(province_code="75", commune_code="", street="", old_address="", **more):
    fields = {
        "province_code": province_code,
        "commune_code": commune_code,
        "street": street,
        "old_address": old_address,
        **more,
    }
    return {f"address-{key}": value for key, value in fields.items()}


def candidates(html: str) -> list[str]:
    return re.findall(r'<input type="radio"[^>]*name="address-candidate" value="(\d+)"', html)


def stored(app) -> list[tuple[str, str | None, str | None]]:
    with app.app_context():
        try:
            return [
                (o.name, o.commune_code, o.street)
                for o in db.session.scalars(select(Organization).order_by(Organization.id))
            ]
        finally:
            db.session.remove()


def in_english(client):
    client.set_cookie("lang", "en", domain="localhost")


def test_the_sign_up_page_offers_the_picker_with_dong_nai_and_the_old_address_box(client):
    html = client.get("/sign-up").get_data(as_text=True)
    assert '<option value="75" selected>Đồng Nai</option>' in html
    assert f'<option value="{LOC_NINH}">Xã Lộc Ninh</option>' in html
    assert 'name="address-old_address"' in html and 'name="address-refresh"' in html
    assert 'name="commune_code"' not in html


def test_sign_up_with_an_old_address_stores_the_new_commune(app, client):
    response = sign_up(client, "0912345678", **address(street="Ấp 3", old_address=OLD_LOC_THAI))
    assert response.status_code == 303
    assert stored(app) == [("Vườn điều Lộc Ninh", LOC_NINH, "Ấp 3")]
    assert "Ấp 3, Xã Lộc Ninh, Tỉnh Đồng Nai" in client.get("/org").get_data(as_text=True)


def test_sign_up_with_an_ambiguous_old_address_asks_to_choose_then_saves_the_choice(app, client):
    in_english(client)
    asked = sign_up(client, "0912345678", **address(old_address="xã Tân Lập"))
    assert asked.status_code == 422
    html = asked.get_data(as_text=True)
    assert len(candidates(html)) > 1 and candidates(html)[0] == DONG_PHU
    assert "Several communes match this old address. Choose yours." in html
    assert 'value="0912345678"' in html and 'value="Vườn điều Lộc Ninh"' in html  # what was typed is kept
    assert stored(app) == []

    chosen = sign_up(client, "0912345678", **address(old_address="xã Tân Lập", candidate=DONG_PHU))
    assert chosen.status_code == 303
    assert stored(app) == [("Vườn điều Lộc Ninh", DONG_PHU, None)]


def test_show_communes_on_sign_up_lists_the_other_province_and_saves_nothing(app, client):
    in_english(client)
    response = sign_up(client, "0912345678", **address(province_code="01", commune_code=LOC_NINH, refresh="1"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<option value="01" selected>Thành phố Hà Nội</option>' in html
    assert '<option value="00070">Phường Hoàn Kiếm</option>' in html and "Xã Lộc Ninh" not in html
    assert 'value="Trần Thị Lan"' in html and 'class="error"' not in html
    assert "Type your password again" in html
    with app.app_context():
        assert db.session.scalar(select(User)) is None

    saved = sign_up(client, "0912345678", **address(province_code="01", commune_code="00070", street="1 Tràng Tiền"))
    assert saved.status_code == 303
    assert stored(app) == [("Vườn điều Lộc Ninh", "00070", "1 Tràng Tiền")]


def test_sign_up_without_an_address_is_allowed_but_a_street_needs_its_commune(app, client):
    in_english(client)
    street_only = sign_up(client, "0912345678", **address(street="Ấp 3"))
    assert street_only.status_code == 422
    assert "Choose a commune or ward of the selected province." in street_only.get_data(as_text=True)
    assert stored(app) == []

    assert sign_up(client, "0912345678", org_kind="buyer", **address()).status_code == 303
    assert stored(app) == [("Vườn điều Lộc Ninh", None, None)]


def _coop(app):
    def build():
        owner = make_user(phone="+84911000001", name="Alice")
        coop = make_org("cooperative", name="HTX Điều Lộc Ninh", owner=owner, commune_code="25222")
        add_member(coop, make_user(phone="+84911000002", name="Carol"))
        return coop.id

    return Seed(app)(build)


def test_the_profile_form_starts_at_the_stored_address_and_the_page_shows_it_in_full(app, client):
    _coop(app)
    sign_in(client, "0911000001")
    html = client.get("/org").get_data(as_text=True)
    assert "Xã Bù Gia Mập, Tỉnh Đồng Nai" in html
    assert '<option value="25222" selected>Xã Bù Gia Mập</option>' in html


def test_profile_edit_with_an_old_address_stores_the_new_commune(app, client):
    _coop(app)
    sign_in(client, "0911000001")
    response = post_form(
        client,
        "/org",
        "/org",
        name="HTX Điều Lộc Thái",
        **address(commune_code="25222", street="Ấp 5", old_address=OLD_LOC_THAI),
    )
    assert response.status_code == 303
    assert stored(app) == [("HTX Điều Lộc Thái", LOC_NINH, "Ấp 5")]
    assert "Ấp 5, Xã Lộc Ninh, Tỉnh Đồng Nai" in client.get("/org").get_data(as_text=True)


def test_profile_edit_with_an_ambiguous_old_address_saves_only_the_chosen_candidate(app, client):
    _coop(app)
    sign_in(client, "0911000001")
    asked = post_form(client, "/org", "/org", name="HTX mới", **address(commune_code="25222", old_address="xã Tân Lập"))
    assert asked.status_code == 422
    html = asked.get_data(as_text=True)
    assert candidates(html)[0] == DONG_PHU and 'value="HTX mới"' in html
    assert stored(app) == [("HTX Điều Lộc Ninh", "25222", None)]

    chosen = post_form(
        client,
        "/org",
        "/org",
        name="HTX mới",
        **address(commune_code="25222", old_address="xã Tân Lập", candidate=DONG_PHU),
    )
    assert chosen.status_code == 303
    assert stored(app) == [("HTX mới", DONG_PHU, None)]


def test_show_communes_on_the_profile_saves_nothing(app, client):
    _coop(app)
    sign_in(client, "0911000001")
    response = post_form(
        client, "/org", "/org", name="HTX đổi tên", **address(province_code="01", commune_code="25222", refresh="1")
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<option value="00070">Phường Hoàn Kiếm</option>' in html and 'value="HTX đổi tên"' in html
    assert stored(app) == [("HTX Điều Lộc Ninh", "25222", None)]


def test_clearing_the_commune_and_street_removes_the_address(app, client):
    _coop(app)
    sign_in(client, "0911000001")
    assert post_form(client, "/org", "/org", name="HTX Điều Lộc Ninh", **address()).status_code == 303
    assert stored(app) == [("HTX Điều Lộc Ninh", None, None)]


def test_a_plain_member_sees_the_address_but_no_picker(app, client):
    _coop(app)
    sign_in(client, "0911000002")
    html = client.get("/org").get_data(as_text=True)
    assert "Xã Bù Gia Mập, Tỉnh Đồng Nai" in html and 'name="address-commune_code"' not in html
    refused = post_form(client, "/org/members", "/org", name="Carol's", **address(old_address=OLD_LOC_THAI))
    assert refused.status_code == 403
    assert stored(app) == [("HTX Điều Lộc Ninh", "25222", None)]


def _new_household(client, **fields):
    data = {"name": "Hộ Út", "owner_name": "Út", "owner_login": "0911 000 777", "owner_password": PASSWORD, **fields}
    return post_form(client, "/org/households", "/org/households/new", **data)


def test_the_new_household_form_starts_at_the_coops_commune(app, client):
    _coop(app)
    sign_in(client, "0911000001")
    html = client.get("/org/households").get_data(as_text=True)
    assert '<option value="25222" selected>Xã Bù Gia Mập</option>' in html
    assert 'name="address-old_address"' in html and 'name="commune_code"' not in html


def test_a_new_household_with_an_old_address_stores_the_new_commune_and_street(app, client):
    _coop(app)
    sign_in(client, "0911000001")
    response = _new_household(client, **address(commune_code="25222", street="Ấp 3", old_address=OLD_LOC_THAI))
    assert response.status_code == 303
    assert stored(app)[-1] == ("Hộ Út", LOC_NINH, "Ấp 3")
    assert "Ấp 3, Xã Lộc Ninh, Tỉnh Đồng Nai" in client.get("/org/households").get_data(as_text=True)


def test_a_new_household_with_an_ambiguous_old_address_asks_to_choose_and_creates_nothing(app, client):
    _coop(app)
    sign_in(client, "0911000001")
    in_english(client)
    asked = _new_household(client, **address(commune_code="25222", old_address="xã Tân Lập"))
    assert asked.status_code == 422
    html = asked.get_data(as_text=True)
    assert len(candidates(html)) > 1 and candidates(html)[0] == DONG_PHU
    assert "Several communes match this old address. Choose yours." in html
    assert 'value="Hộ Út"' in html and 'value="0911 000 777"' in html  # what was typed is kept
    assert [name for name, _, _ in stored(app)] == ["HTX Điều Lộc Ninh"]

    chosen = _new_household(client, **address(commune_code="25222", old_address="xã Tân Lập", candidate=DONG_PHU))
    assert chosen.status_code == 303
    assert stored(app)[-1] == ("Hộ Út", DONG_PHU, None)


def test_show_communes_on_the_new_household_form_creates_nothing(app, client):
    _coop(app)
    sign_in(client, "0911000001")
    in_english(client)
    response = _new_household(client, **address(province_code="01", commune_code="25222", refresh="1"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<option value="00070">Phường Hoàn Kiếm</option>' in html and 'value="Hộ Út"' in html
    assert 'class="error"' not in html and "Type the first password again" in html
    assert [name for name, _, _ in stored(app)] == ["HTX Điều Lộc Ninh"]
    with app.app_context():
        assert db.session.scalar(select(User).where(User.phone == "+84911000777")) is None
