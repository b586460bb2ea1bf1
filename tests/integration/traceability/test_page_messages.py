"""What the traceability pages say themselves, before a service is asked, in the reader's language."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token
from tests.traceability_builders import BatchWorld


@pytest.fixture
def world(app):
    return BatchWorld(app)


def test_a_harvest_day_that_names_no_day_is_refused_in_vietnamese(client, world):
    with client.session_transaction() as session:
        session["_user_id"] = str(world.an_user)
        session["_fresh"] = True
    client.set_cookie("lang", "vi", domain="localhost")
    form = {
        "plot_ids": str(world.an_plot),
        "product": "raw_cashew_nuts",
        "quantity": "12",
        "harvest_date": "2025-02-30",
    }
    response = client.post("/batches/new", data={"csrf_token": csrf_token(client, "/batches/new"), **form})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nhập ngày." in page and "Enter a date." not in page
    assert 'value="12"' in page
