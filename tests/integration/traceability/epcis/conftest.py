"""A season's chain for EPCIS tests, and GS1's schema to check documents against (read, never copied).

Two households harvest cashew (one lot under a GTIN); one dries hers (losing weight, moisture measured) and
corrects that step's measurement; both ship to a processor, who merges the lots, shells them into kernels
and sells part of the kernels to a trader through the marketplace's fulfilment interface.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from core.accounts.models import User
from core.db import utcnow
from core.extensions import db
from tests.conftest import epcis_standards_dir, need_service
from tests.traceability_builders import BatchWorld, make_harvest, seeded
from traceability.identifiers import gtin_check_digit
from traceability.models import Batch, Event, Plot
from traceability.services import corrections, custody, fulfilment, operations
from traceability.services.batches import record_step

GTIN_BODY = "0893500000001"
GTIN = GTIN_BODY + str(gtin_check_digit(GTIN_BODY))


@pytest.fixture(scope="session")
def standards() -> Path:
    folder = epcis_standards_dir()
    if folder is None:
        need_service("GS1's EPCIS 2.0 schema is not here: set EPCIS_SCHEMA_DIR to the folder of epcis-json-schema.json")
    return folder


@pytest.fixture(scope="session")
def official_validator(standards: Path) -> Draft7Validator:
    """GS1's schema with the URI format checker: without it, ``"format": "uri"`` lets anything through."""
    schema = json.loads((standards / "epcis-json-schema.json").read_text(encoding="utf-8"))
    checker = Draft7Validator.FORMAT_CHECKER
    assert "uri" in checker.checkers, "the URI format checker (jsonschema[format-nongpl]) is not installed"
    return Draft7Validator(schema, format_checker=checker)


def schema_problems(validator: Draft7Validator, document: dict) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(document)]


@dataclass
class Chain:
    world: BatchWorld
    an_lot: str
    binh_lot: str
    merged: str
    kernels: str
    sold: str
    drying_event: str
    corrective_event: str
    order_reference: str = "NS-2026-000123"


def build_chain(world: BatchWorld) -> Chain:
    def build():
        an = db.session.get(User, world.an_user)
        binh = db.session.get(User, world.binh_user)
        processor = db.session.get(User, world.processor_user)
        yesterday = utcnow() - timedelta(days=1)
        an_lot = make_harvest(an, [db.session.get(Plot, world.an_plot)], quantity="1000").code
        binh_lot = make_harvest(
            binh, [db.session.get(Plot, world.binh_plot)], quantity="800", gtin=GTIN, lot_number="BINH-01"
        ).code
        drying = record_step(
            an,
            an_lot,
            step="sun_drying",
            event_time=(yesterday + timedelta(hours=2)).isoformat(),
            measurements=[{"type": "moisture", "value": "9.5"}],
            quantity_after=Decimal("950"),
        )
        _declaration, (corrective,) = corrections.correct(
            an,
            drying.id,
            reason="incorrect_data",
            corrective={"step": "sun_drying", "measurements": [{"type": "moisture", "value": "8.5"}]},
        )
        for user, code in ((an, an_lot), (binh, binh_lot)):
            shipment = custody.ship(user, code, to_organization_id=world.processor_org, reference=f"PX-{code}")
            custody.receive(processor, shipment.id)
        merged, _warnings = operations.merge(processor, [an_lot, binh_lot])
        _event, (kernels,) = operations.transform(
            processor,
            inputs=[{"code": merged.code, "quantity": Decimal("1750")}],
            outputs=[{"product": "cashew_kernels", "grade": "W320", "quantity": Decimal("420")}],
            step="shelling",
        )
        kernel = db.session.scalar(db.select(Batch).where(Batch.code == kernels.code))
        (delivery,) = fulfilment.ship_to_buyer(
            processor,
            [(kernel.id, Decimal("100"))],
            buyer_organization_id=world.outsider_org,
            reference=Chain.order_reference,
        )
        db.session.commit()
        return Chain(
            world,
            an_lot,
            binh_lot,
            merged.code,
            kernels.code,
            delivery.code,
            db.session.get(Event, drying.id).event_uuid,
            db.session.get(Event, corrective.id).event_uuid,
        )

    return seeded(world.app, build)


@pytest.fixture
def chain(app) -> Chain:
    return build_chain(BatchWorld(app))
