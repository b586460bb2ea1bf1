"""The public trace page: what a buyer sees after scanning a bag, without signing in."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import select, text

from core.accounts.models import Organization, OrganizationKind, User
from core.db import utcnow
from core.extensions import db
from tests.builders import make_org
from tests.trace_page_builders import (
    LAT,
    LNG,
    SECRET_EMAIL,
    SECRET_PERSON,
    SECRET_PHONE,
    SECRET_PLOT_STREET,
    SECRET_STREET,
    build_story,
)
from tests.traceability_builders import audited, make_harvest, make_plot, quick_user, seeded
from traceability.services import recalls


@pytest.fixture
def story(app):
    return seeded(app, build_story)


def page(client, code: str, lang: str = "vi", **headers) -> str:
    response = client.get(f"/t/{code}", headers={"Accept-Language": lang, **headers})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_top_shows_what_circular_02_asks_for(client, story):
    html = page(client, story["kernels"], "en")
    top = html[html.index('class="trace-top') : html.index('id="verification"')]
    assert "Cashew kernels W240" in top
    assert story["kernels"] in top
    assert "Hộ Điều Lộc Ninh (Xã Lộc Ninh, Đồng Nai)" in top  # the producer, at commune level
    assert "Xưởng Điều Phú Riềng (Xã Phú Riềng, Đồng Nai)" in top  # who made and holds the lot
    assert (date.today() - timedelta(days=3)).strftime("%-d %b %Y") in top  # harvest
    assert "12 months from packing" in top and "best before" in top
    assert f"/files/{story['photo']}/thumb" in top  # the latest photo is the product's picture


def test_the_page_reads_in_vietnamese_with_vietnamese_numbers(client, story):
    html = page(client, story["harvest"], "vi")
    assert '<html lang="vi">' in html
    assert "Hạt điều thô" in html
    assert "10,5" in html  # moisture 10.5 %, the Vietnamese way
    assert "+1.000 kg" in html  # the harvest, with the Vietnamese thousands separator
    assert "−50 kg" in html  # and its correction to 950 kg


def test_private_data_never_reaches_the_page(client, story):
    for code in (story["harvest"], story["kernels"]):
        for lang in ("vi", "en"):
            html = page(client, code, lang)
            for secret in (
                SECRET_PHONE,
                SECRET_PHONE[3:],
                "0987650123",
                SECRET_EMAIL,
                SECRET_PERSON,
                "Chủ xưởng Bí Mật",
                SECRET_STREET,
                SECRET_PLOT_STREET,
            ):
                assert secret not in html, f"{secret!r} leaked on the page of {code} ({lang})"
            for exact in (f"{LNG}", f"{LAT}", f"{LNG:.4f}", f"{LAT:.4f}", f"{LNG:.3f}", f"{LAT:.3f}"):
                assert exact not in html, f"plot coordinate {exact} leaked on the page of {code}"


def test_origin_shows_farms_plots_with_an_outline_and_certificates_valid_at_harvest(client, story):
    html = page(client, story["kernels"], "en")
    origin = html[html.index('id="origin"') : html.index('id="certificates"')]
    assert "Vườn đồi" in origin and "4.8 ha" in origin
    outline = re.search(r'<svg viewBox="0 0 100 100"[^>]*><path d="([^"]+)"', origin)
    assert outline and outline.group(1).startswith("M")
    certificates = html[html.index('id="certificates"') : html.index('id="steps"')]
    assert "VG-CHECKED" in certificates and "Checked by the department" in certificates
    assert "VG-WAITING" in certificates and "Not yet checked by the department" in certificates
    assert "VG-EXPIRED" not in certificates


def test_the_timeline_shows_steps_photos_places_and_corrections(client, story):
    html = page(client, story["kernels"], "en")
    steps = html[html.index('id="steps"') : html.index('id="custody"')]
    for label in ("Harvested", "Sun drying", "Shipped", "Received", "Shelling", "Packing"):
        assert label in steps
    assert 'Moisture (%): <span class="nowrap">10.5</span>' in steps
    photo = re.search(rf'<img src="/files/{story["photo"]}/thumb" width="(\d+)" height="(\d+)" loading="lazy"', steps)
    assert photo and (int(photo.group(1)), int(photo.group(2))) == (480, 360)
    assert "Xã Lộc Ninh, Đồng Nai" in steps  # the drying yard's commune, never its street
    was = steps.index('<p class="was"><strong>Harvested</strong>')
    fix = steps.index('class="fix"')
    assert was < fix < steps.index("Sun drying")  # the correction sits right after what it corrects
    assert "Corrected" in steps[was:fix] and "Corrects the record above." in steps[fix:]
    custody_chain = html[html.index('id="custody"') : html.index('id="lineage"')]
    assert custody_chain.index("Hộ Điều Lộc Ninh") < custody_chain.index("Xưởng Điều Phú Riềng")


def test_an_intact_record_and_an_altered_one(app, client, story):
    unchecked = page(client, story["kernels"], "en")
    assert "Not yet checked" in unchecked and "✓ Record intact" not in unchecked  # no audit has run yet
    audited(app)
    intact = page(client, story["kernels"], "en")
    assert "✓ Record intact" in intact and "The whole ledger was last checked on " in intact
    with app.app_context(), db.engine.begin() as conn:
        altered = '[{"type": "moisture", "value": "9", "unit": "percent"}]'  # it was 10.5
        conn.execute(
            text("UPDATE events SET measurements = :m WHERE operation = 'process' AND biz_step LIKE '%sun_drying'"),
            {"m": altered},
        )
    audited(app)  # the next full check finds it
    html = page(client, story["kernels"], "en")
    assert "✗ Record altered" in html
    assert "A record was changed after it was written: Sun drying of lot " + story["harvest"] in html
    assert "Found when the whole ledger was checked on " in html


def test_a_recall_shows_at_the_top_of_every_lot_made_from_the_recalled_one(app, client, story):
    def recall():
        recalls.recall(db.session.get(User, story["owner_id"]), story["harvest"], "Aflatoxin found in a sample")

    seeded(app, recall)
    for code in (story["harvest"], story["kernels"]):
        html = page(client, code, "en")
        assert html.index('class="recall"') < html.index('class="trace-top')
        assert "This lot is recalled" in html and "Aflatoxin found in a sample" in html
    assert f"because lot {story['harvest']} it was made from is recalled" in page(client, story["kernels"], "en")


def test_rubber_shows_its_eudr_status_with_reasons(app, client):
    def build():
        user = quick_user("Nông dân cao su")
        farm = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Cao Su Bù Gia Mập", owner=user, commune_code="25222")
        plot = make_plot(farm, name="Lô cao su", crops=["rubber"], geometry=None, area_ha="2", deforestation_free=False)
        return make_harvest(user, [plot], quantity="500").code

    code = seeded(app, build)
    html = page(client, code, "en")
    eudr = html[html.index('id="eudr"') : html.index('id="origin"')]
    assert "Not ready" in eudr
    assert "Lô cao su: The plot has no geolocation (GPS point or boundary)." in eudr
    assert "No declaration that the land was not deforested after 31 December 2020." in eudr
    assert "Not applicable" in html  # latex has no shelf life


def test_cashew_has_no_eudr_section(client, story):
    assert 'id="eudr"' not in page(client, story["kernels"], "en")


def test_open_graph_tags_for_zalo_and_facebook(client, story):
    html = page(client, story["kernels"], "en")
    tags = dict(re.findall(r'<meta property="(og:[a-z:]+)" content="([^"]*)"', html))
    assert tags["og:url"] == f"http://localhost/t/{story['kernels']}"
    assert tags["og:image"] == f"http://localhost/files/{story['photo']}/thumb"
    assert "Cashew kernels W240" in tags["og:title"] and story["kernels"] in tags["og:title"]
    assert "Hộ Điều Lộc Ninh" in tags["og:description"]


def test_a_lot_without_photos_shares_a_commodity_picture(app, client):
    def build():
        user = quick_user("Nông dân tiêu")
        farm = make_org(OrganizationKind.HOUSEHOLD, name="Hộ Tiêu", owner=user)
        return make_harvest(user, [make_plot(farm, crops=["pepper"])], quantity="300").code

    html = page(client, seeded(app, build), "en")
    image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert image == "http://localhost/illustrations/pepper.png"
    picture = client.get("/illustrations/pepper.png")
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    assert Image.open(io.BytesIO(picture.data)).size == (1200, 630)


def test_the_language_switch_is_a_link_and_a_visitor_gets_no_cookie(client, story):
    response = client.get(f"/t/{story['kernels']}", headers={"Accept-Language": "vi-VN"})
    assert "Set-Cookie" not in response.headers
    html = response.get_data(as_text=True)
    assert f'href="/t/{story["kernels"]}?lang=en"' in html
    english = client.get(f"/t/{story['kernels']}?lang=en")
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert english.headers["Cache-Control"] == "public, max-age=60"
    assert {"Cookie", "Accept-Language"} <= set(english.vary)


def test_a_code_typed_another_way_moves_permanently_to_the_canonical_one(client, story):
    typed = story["kernels"][:4].lower() + "-" + story["kernels"][4:].lower()
    response = client.get(f"/t/{typed}?lang=en")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/t/{story['kernels']}?lang=en"


def test_an_unknown_code_gets_a_helpful_page_in_the_visitors_language(client):
    english = client.get("/t/ZZZZ2222", headers={"Accept-Language": "en"})
    assert english.status_code == 404
    html = english.get_data(as_text=True)
    assert "We could not find a lot with the code ZZZZ2222" in html
    assert 'action="/trace"' in html and 'name="code"' in html
    vietnamese = client.get("/t/ZZZZ2222", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert '<html lang="vi">' in vietnamese and "Mã lô hàng" in vietnamese


def test_the_full_lineage_page_lists_every_earlier_lot(app, client, story):
    response = client.get(f"/t/{story['kernels']}/lineage?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'href="/t/{story["harvest"]}"' in html and "Hộ Điều Lộc Ninh" in html
    assert client.get("/t/ZZZZ2222/lineage").status_code == 404


def test_organization_names_only_never_a_members_name(app, client, story):
    def verify_farm():
        farm = db.session.scalar(select(Organization).where(Organization.name == "Hộ Điều Lộc Ninh"))
        farm.verified_at = utcnow()
        db.session.commit()

    seeded(app, verify_farm)
    html = page(client, story["kernels"], "en")
    assert "Verified by the department" in html
    assert SECRET_PERSON not in html


def test_a_signed_in_reader_switches_language_with_the_sites_form_and_keeps_it(app, client, story):
    from tests.traceability_builders import quick_user, seeded

    user_id = seeded(app, lambda: quick_user("Người mua").id)
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
    html = client.get(f"/t/{story['kernels']}", headers={"Accept-Language": "vi-VN"}).get_data(as_text=True)
    assert '<form class="lang-switch" method="post" action="/lang/en">' in html
    assert 'class="lang-switch link-button" href=' not in html
