"""Operations pages: merge, transform (with a reason for an unusual yield), ship and receive, declare an error."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token
from tests.traceability_builders import BatchWorld


@pytest.fixture
def world(app):
    return BatchWorld(app)


def signed_in(client, world, who: str):
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = str(getattr(world, f"{who}_user"))
        session["_fresh"] = True
    client.set_cookie("lang", "en", domain="localhost")
    return client


def post(client, form_url, **data):
    return client.post(form_url, data={"csrf_token": csrf_token(client, form_url), **data})


def text(response) -> str:
    return response.get_data(as_text=True)


def lot(client, world, who: str, code: str) -> dict:
    return client.get(f"/api/v1/batches/{code}", headers=world.auth(who)).json


def test_the_pages_need_a_signed_in_user(client, world):
    code = world.harvest("an")
    for url in (
        "/batches/merge",
        "/batches/transform",
        f"/batches/{code}/ship",
        "/shipments",
        f"/batches/{code}/events/1/correction",
    ):
        assert client.get(url).status_code == 302, url


def test_two_lots_are_merged_from_the_lot_page(client, world):
    first, second = world.harvest("an", "400"), world.harvest("an", "600")
    signed_in(client, world, "an")
    detail = text(client.get(f"/batches/{first}"))
    merge_url = re.search(r'href="(/batches/merge\?[^"]+)"', detail).group(1).replace("&amp;", "&")
    page = text(client.get(merge_url))
    assert f'value="{first}" checked' in page and f'value="{second}"' in page

    alone = post(client, merge_url, code=[first], note="gom hàng")
    assert alone.status_code == 422
    assert "Choose at least two different lots to merge." in text(alone)
    assert f'value="{first}" checked' in text(alone) and "gom hàng" in text(alone)

    merged = post(client, merge_url, code=[first, second], note="gom hàng")
    assert merged.status_code == 303
    page = text(client.get(merged.headers["Location"]))
    new_code = merged.headers["Location"].rsplit("/", 1)[1]
    assert "Lots merged into lot" in page and new_code in page
    assert first in page and second in page  # made from both
    assert lot(client, world, "an", new_code)["quantity"] == "1000"
    assert lot(client, world, "an", first)["remaining"] == "0"


def test_a_transform_outside_the_yield_band_asks_for_a_reason_and_keeps_what_was_typed(client, world):
    code = world.harvest("an", "1000")
    signed_in(client, world, "an")
    url = f"/batches/transform?code={code}&product=raw_cashew_nuts"
    page = text(client.get(url))
    assert f'value="{code}" checked' in page and 'name="reason"' not in page
    form = {
        "input_code": code,
        "product": "cashew_kernels",
        "output_grade": ["W320", "", ""],
        "output_quantity": ["900", "", ""],
        "step": "shelling",
        "note": "ca sáng",
    }

    refused = post(client, url, **form)
    assert refused.status_code == 422
    page = text(refused)
    assert "The yield is outside the usual range for this product." in page and 'name="reason"' in page
    assert 'value="900"' in page and 'value="W320"' in page and "ca sáng" in page and f'value="{code}" checked' in page
    assert lot(client, world, "an", code)["remaining"] == "1000"  # nothing was taken

    accepted = post(client, url, **form, reason="Hạt khô, tỷ lệ nhân cao bất thường")
    assert accepted.status_code == 303
    page = text(client.get(accepted.headers["Location"]))
    assert "Unusual yield, reason given:" in page and "Hạt khô, tỷ lệ nhân cao bất thường" in page
    kernels = lot(client, world, "an", accepted.headers["Location"].rsplit("/", 1)[1])
    assert kernels["product"] == "cashew_kernels" and kernels["grade"] == "W320" and kernels["quantity"] == "900"
    assert lot(client, world, "an", code)["remaining"] == "0"


def test_a_transform_within_the_band_takes_only_what_was_asked_and_names_bad_rows(client, world):
    code = world.harvest("an", "1000")
    signed_in(client, world, "an")
    url = "/batches/transform?product=raw_cashew_nuts"
    # The page is in English (signed_in sets it): "," groups thousands.
    too_much = post(
        client,
        url,
        input_code=code,
        **{f"input_qty_{code}": "1,200"},
        product="cashew_kernels",
        output_quantity=["250", "", ""],
        step="shelling",
    )
    assert too_much.status_code == 422
    page = text(too_much)
    assert "At most 1000" in page and 'value="1,200"' in page and 'name="reason"' not in page

    bad_grade = post(
        client,
        url,
        input_code=code,
        **{f"input_qty_{code}": "500"},
        product="cashew_kernels",
        output_grade=["W240", "W999", ""],
        output_quantity=["60", "55", ""],
        step="shelling",
    )
    assert bad_grade.status_code == 422 and "Unknown grade" in text(bad_grade) and 'value="W999"' in text(bad_grade)

    done = post(
        client,
        url,
        input_code=code,
        **{f"input_qty_{code}": "500"},
        product="cashew_kernels",
        output_grade=["W240", "W320", ""],
        output_quantity=["60", "55", ""],
        step="shelling",
    )
    assert done.status_code == 303
    assert "Processing recorded: 2 new lots." in text(client.get(done.headers["Location"]))
    assert lot(client, world, "an", code)["remaining"] == "500"


def test_a_lot_is_shipped_to_an_organization_found_by_name_and_the_receiver_confirms(client, world):
    code = world.harvest("an", "500")
    signed_in(client, world, "an")
    ship_url = f"/batches/{code}/ship"
    assert f'href="{ship_url}"' in text(client.get(f"/batches/{code}"))

    found = text(client.get(ship_url, query_string={"q": "xuong dieu"}))  # typed without accents
    assert "Xưởng điều Lộc Ninh" in found and "Xã Lộc Ninh" in found
    assert "Hộ binh" not in text(client.get(ship_url, query_string={"q": "hộ"}))  # households are not in the directory

    nobody = post(client, ship_url, q="xuong dieu", reference="PX-0042")
    assert nobody.status_code == 422
    assert (
        "Choose who receives the lot." in text(nobody)
        and 'value="PX-0042"' in text(nobody)
        and "Xưởng điều Lộc Ninh" in text(nobody)
    )

    shipped = post(client, ship_url, q="xuong dieu", to_organization_id=str(world.processor_org), reference="PX-0042")
    assert shipped.status_code == 303
    page = text(client.get(shipped.headers["Location"]))
    assert "In transit to Xưởng điều Lộc Ninh" in page
    assert "PX-0042" in text(client.get("/shipments"))  # the sender sees it waiting

    signed_in(client, world, "processor")
    incoming = text(client.get("/shipments"))
    assert code in incoming and "Hộ an" in incoming and "PX-0042" in incoming
    receive_url = re.search(r'action="(/shipments/\d+/receive)"', incoming).group(1)
    received = client.post(receive_url, data={"csrf_token": csrf_token(client, "/shipments")})
    assert received.status_code == 303
    assert lot(client, world, "processor", code)["custodian_id"] == world.processor_org
    assert code not in text(client.get("/shipments"))
    assert "Held by" in text(client.get(f"/batches/{code}"))


def test_an_outsider_cannot_open_another_organizations_pages(client, world):
    code = world.harvest("an")
    signed_in(client, world, "an")
    event_id = re.search(r"/events/(\d+)/correction", text(client.get(f"/batches/{code}"))).group(1)
    signed_in(client, world, "outsider")
    assert client.get(f"/batches/{code}/ship").status_code == 404
    assert client.get(f"/batches/{code}/events/{event_id}/correction").status_code == 404
    assert code not in text(client.get("/batches/merge")) and code not in text(client.get("/batches/transform"))
    sneaky = post(client, "/batches/merge", code=[code, world.harvest("binh")])
    assert sneaky.status_code == 404


def test_a_correction_leaves_the_original_visible(client, world):
    code = world.harvest("an", "800")
    step = client.post(
        f"/api/v1/batches/{code}/events",
        json={"step": "sun_drying", "measurements": [{"type": "moisture", "value": "21"}]},
        headers=world.auth("an"),
    )
    assert step.status_code == 201
    signed_in(client, world, "an")
    detail = text(client.get(f"/batches/{code}"))
    links = re.findall(r'href="(/batches/[^"]+/events/\d+/correction)"', detail)
    assert len(links) == 2  # the harvest and the drying step
    url = links[0]  # newest first: the drying step

    missing = post(client, url, note="đo nhầm máy", step="sun_drying", m_moisture="12")
    assert missing.status_code == 422
    page = text(missing)
    assert (
        "Say whether the record did not happen or holds wrong data." in page
        and "đo nhầm máy" in page
        and 'value="12"' in page
    )

    bad = post(client, url, reason="incorrect_data", note="đo nhầm máy", step="sun_drying", m_moisture="120")
    assert bad.status_code == 422 and "moisture must be between 0 and 100" in text(bad) and 'value="120"' in text(bad)

    corrected = post(client, url, reason="incorrect_data", note="đo nhầm máy", step="sun_drying", m_moisture="12")
    assert corrected.status_code == 303
    page = text(client.get(f"/batches/{code}"))
    assert "Corrected: this record was declared wrong." in page and "đo nhầm máy" in page
    assert "This record corrects an earlier one." in page
    assert "21" in page and "12" in page  # the wrong value stays, next to the right one
    assert (
        len(re.findall(r"/events/\d+/correction", page)) == 2
    )  # the harvest and the corrective step; not the corrected one
    assert "This record was already declared wrong." in text(client.get(url))


def test_a_split_cannot_be_declared_as_not_having_happened(client, world):
    code = world.harvest("an", "800")
    assert (
        client.post(
            f"/api/v1/batches/{code}/split", json={"parts": [{"quantity": "300"}]}, headers=world.auth("an")
        ).status_code
        == 201
    )
    signed_in(client, world, "an")
    url = re.findall(r'href="(/batches/[^"]+/events/\d+/correction)"', text(client.get(f"/batches/{code}")))[0]
    refused = post(client, url, reason="did_not_occur", note="nhầm lô")
    assert refused.status_code == 409
    assert "cannot be declared as not having occurred" in text(refused) and "nhầm lô" in text(refused)


def test_a_refused_yield_is_told_in_vietnamese_with_vietnamese_numbers(client, world):
    code = world.harvest("an", "2000")
    signed_in(client, world, "an")
    client.set_cookie("lang", "vi", domain="localhost")
    url = f"/batches/transform?code={code}&product=raw_cashew_nuts"
    form = {
        "input_code": code,
        "product": "cashew_kernels",
        "output_grade": ["W320", "", ""],
        "output_quantity": ["1250,5", "", ""],  # typed the Vietnamese way: 1250.5 kg of kernels from 2000 kg
        "step": "shelling",
    }
    refused = post(client, url, **form)
    assert refused.status_code == 422
    page = text(refused)
    # 1250.5 / 2000 = 0.625 kg out per kg in, outside 0.20–0.30: said in Vietnamese, with decimal commas.
    assert "0,625 kg thành phẩm trên mỗi kg nguyên liệu nằm ngoài khoảng 0,2–0,3" in page
    assert "kg out per kg in" not in page and "0.625" not in page
    assert 'name="reason"' in page  # found by its code: the page asks for a reason


def test_the_api_names_a_refused_yield_by_its_code(client, world):
    code = world.harvest("an", "2000")
    body = {
        "inputs": [{"code": code}],
        "outputs": [{"product": "cashew_kernels", "quantity": "1250.5", "unit": "kg"}],
        "step": "shelling",
    }
    refused = client.post("/api/v1/transformations", json=body, headers=world.auth("an"))
    assert refused.status_code == 422
    assert refused.json["code"] == "yield_out_of_band"
    assert refused.json["errors"]["outputs"] == [
        "0.625 kg out per kg in is outside 0.20–0.30 for raw_cashew_nuts → cashew_kernels; "
        "give a reason to record it anyway."
    ]
