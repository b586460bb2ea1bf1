"""Events are titled with words people read, never the stored vocabulary codes."""

from __future__ import annotations

import pytest

from traceability import catalog
from traceability.step_names import STEP_CHOICES, STEP_NAMES, event_name, step_name


@pytest.mark.parametrize("step", sorted(catalog.CBV_BIZ_STEPS | catalog.OWN_BIZ_STEPS))
def test_every_step_a_lot_may_record_has_a_name(step):
    assert step in STEP_NAMES
    name = str(step_name(step))
    assert name and "_" not in name and name != step


def test_an_operation_names_the_event_better_than_its_step():
    assert str(event_name("harvest", "commissioning")) == "Harvested"
    assert str(event_name("split", "repackaging")) == "Split into smaller lots"
    assert str(event_name("ship", "shipping")) == "Shipped"


def test_a_step_names_the_event_when_the_operation_has_no_name():
    assert str(event_name("process", "sun_drying")) == "Sun drying"
    assert str(event_name("transform", "shelling")) == "Shelling"
    assert str(event_name(None, "commissioning")) == "Harvest"


def test_a_word_without_a_name_is_still_readable():
    assert str(step_name("roasting_in_pans")) == "Roasting in pans"


def test_the_forms_offer_only_steps_a_lot_may_record_under_their_one_name():
    assert STEP_CHOICES
    for step, name in STEP_CHOICES.items():
        assert catalog.is_known_biz_step(step)
        assert name is STEP_NAMES[step]
