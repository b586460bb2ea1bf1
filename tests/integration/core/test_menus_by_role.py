"""Each reader's menu and first page: a farmer's lots and plots, a buyer's marketplace, an officer's queues."""

from __future__ import annotations

import re

import pytest

from core.accounts.models import OrganizationKind
from tests.builders import make_org, make_user
from tests.conftest import csrf_token
from tests.integration.core.accounts.helpers import sign_in, sign_up
from tests.traceability_builders import seeded

FARMER_PAGES = {"/batches", "/plots", "/batches/new", "/shipments", "/start"}
OFFICER_PAGES = {"/department/organizations", "/department/certificates", "/department/recalls"}


def menu(html: str) -> tuple[list[str], list[str]]:
    """The links of the menu row and the links under "More"."""
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    more = re.search(r'<li class="nav-more">.*</li>', nav, re.S)
    row = nav.replace(more.group(0), "") if more else nav
    links = lambda part: re.findall(r'href="([^"]+)"', part)  # noqa: E731
    return links(row), links(more.group(0)) if more else []


def a_member_of(app, kind: OrganizationKind) -> str:
    def build():
        user = make_user(name="Người dùng")
        make_org(kind, name=f"Tổ chức {kind.value}", owner=user)
        return user.phone

    return seeded(app, build)


def test_a_farmer_has_lots_plots_and_a_new_harvest_in_the_row(app, client):
    assert sign_in(client, a_member_of(app, OrganizationKind.HOUSEHOLD)).headers["Location"].endswith("/batches")
    row, more = menu(client.get("/batches").get_data(as_text=True))
    assert {"/batches", "/plots", "/batches/new"} <= set(row)
    assert {"/shipments", "/org", "/market"} <= set(more)
    assert not OFFICER_PAGES & set(row + more)
    for path in row + more:
        assert client.get(path).status_code == 200, path


def test_a_buyer_has_the_marketplace_cart_and_orders_and_no_farm_pages(app, client):
    assert sign_in(client, a_member_of(app, OrganizationKind.BUYER)).headers["Location"].endswith("/market")
    row, more = menu(client.get("/market").get_data(as_text=True))
    assert {"/market", "/market/cart", "/market/orders"} <= set(row)
    assert not (FARMER_PAGES | OFFICER_PAGES) & set(row + more)


def test_an_officer_sees_the_department_pages_and_never_the_farmers(app, client):
    assert (
        sign_in(client, a_member_of(app, OrganizationKind.DEPARTMENT))
        .headers["Location"]
        .endswith("/department/organizations")
    )
    row, more = menu(client.get("/department/organizations").get_data(as_text=True))
    assert set(row) >= OFFICER_PAGES
    assert not FARMER_PAGES & set(row + more)
    for path in OFFICER_PAGES:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("path", sorted(OFFICER_PAGES))
def test_the_department_pages_are_refused_to_a_farmer(app, client, path):
    sign_in(client, a_member_of(app, OrganizationKind.HOUSEHOLD))
    assert client.get(path).status_code == 403


def test_a_new_farmer_lands_on_first_steps_that_lead_to_a_plot_and_a_harvest(client):
    response = sign_up(client, "0912345678")
    assert response.headers["Location"].endswith("/start")
    page = client.get("/start").get_data(as_text=True)
    assert "Những bước đầu tiên" in page
    main = page.split("<main", 1)[1]
    assert 'href="/plots/new"' in main and 'href="/batches/new"' in main


def test_a_sign_in_with_next_still_goes_there(app, client):
    phone = a_member_of(app, OrganizationKind.HOUSEHOLD)
    assert sign_in(client, phone, next_url="/plots").headers["Location"].endswith("/plots")


def test_the_menu_marks_the_current_page(app, client):
    sign_in(client, a_member_of(app, OrganizationKind.HOUSEHOLD))
    page = client.get("/plots").get_data(as_text=True)
    assert re.search(r'<a href="/plots" aria-current="page">', page)
    assert page.count('aria-current="page"') == 1
    assert csrf_token(client, "/plots")  # the sign-out form in "More" carries its token


def test_someone_in_a_household_and_the_department_sees_the_menu_of_the_organization_acted_for(app, client):
    def build():
        user = make_user(name="Cán bộ có vườn")
        make_org(OrganizationKind.HOUSEHOLD, name="Vườn nhà cán bộ", owner=user)
        department = make_org(OrganizationKind.DEPARTMENT, name="Sở NN&MT", owner=user)
        return user.phone, department.id

    phone, department_id = seeded(app, build)
    sign_in(client, phone)
    row, _more = menu(client.get("/batches").get_data(as_text=True))
    assert {"/batches", "/plots"} <= set(row)  # acting for the household (the first membership)
    client.post("/org/switch", data={"organization_id": department_id, "csrf_token": csrf_token(client, "/org")})
    row, more = menu(client.get("/department/organizations").get_data(as_text=True))
    assert set(row) >= OFFICER_PAGES and not FARMER_PAGES & set(row + more)


ADMIN_PAGES = {"/market/admin/payouts", "/market/admin/payments"}


def test_only_administrators_find_the_payouts_and_payments_to_check_in_their_menu(app, client):
    from core.accounts.models import User
    from core.extensions import db

    officer = a_member_of(app, OrganizationKind.DEPARTMENT)
    sign_in(client, officer)
    row, more = menu(client.get("/department/organizations").get_data(as_text=True))
    assert not ADMIN_PAGES & set(row + more)  # an officer is not the platform's administrator
    assert all(client.get(path).status_code == 403 for path in ADMIN_PAGES)

    def promote():
        db.session.scalar(db.select(User).where(User.phone == officer)).is_admin = True
        db.session.commit()

    seeded(app, promote)
    row, more = menu(client.get("/department/organizations").get_data(as_text=True))
    assert set(more) >= ADMIN_PAGES
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 200, path
