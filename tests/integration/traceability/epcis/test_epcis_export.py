"""Exported EPCIS documents validate against GS1's schema (with its URI checks) and say what happened."""

from __future__ import annotations

from core.accounts.models import Organization
from core.extensions import db
from tests.integration.traceability.epcis.conftest import GTIN, schema_problems
from tests.traceability_builders import seeded


def lineage_document(client, chain, who="processor", code=None):
    response = client.get(f"/api/v1/batches/{code or chain.kernels}/epcis", headers=chain.world.auth(who))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/ld+json"
    assert response.headers["GS1-EPCIS-Version"] == "2.0.0"
    return response.get_json(force=True)


def by_operation(document, operation):
    return [e for e in document["epcisBody"]["eventList"] if e["nongsan:operation"] == operation]


def test_lineage_document_validates_against_the_official_schema(client, chain, official_validator):
    document = lineage_document(client, chain)
    assert schema_problems(official_validator, document) == []
    kinds = {e["type"] for e in document["epcisBody"]["eventList"]}
    assert kinds == {"ObjectEvent", "TransformationEvent", "TransactionEvent"}
    # Every event of every lot back to the farms and forward to the buyer, once each.
    ids = [e["eventID"] for e in document["epcisBody"]["eventList"]]
    assert len(ids) == len(set(ids))
    assert [e["nongsan:operation"] for e in document["epcisBody"]["eventList"]].count("harvest") == 2


def test_a_bare_word_that_is_not_cbv_fails_the_official_schema_with_the_format_checker(
    client, chain, official_validator
):
    """The check is real: the URI checker rejects what export must never write (a non-CBV bizStep as a word)."""
    document = lineage_document(client, chain)
    drying = next(e for e in document["epcisBody"]["eventList"] if e["bizStep"].endswith("/voc/bizstep/sun_drying"))
    drying["bizStep"] = "sun_drying"
    assert any("bizStep" in problem for problem in schema_problems(official_validator, document))


def test_harvest_is_commissioning_with_dates_plots_and_country_in_ilmd(client, chain):
    document = lineage_document(client, chain)
    harvest = next(e for e in by_operation(document, "harvest") if e["quantityList"][0]["quantity"] == 1000)
    assert harvest["type"] == "ObjectEvent" and harvest["action"] == "ADD"
    assert harvest["bizStep"] == "commissioning"
    assert harvest["quantityList"] == [
        {"epcClass": f"http://localhost/t/{chain.an_lot}", "quantity": 1000, "uom": "KGM"}
    ]
    ilmd = harvest["ilmd"]
    assert ilmd["cbvmda:countryOfOrigin"] == "VN"
    assert ilmd["cbvmda:harvestStartDate"] <= ilmd["cbvmda:harvestEndDate"]
    assert ilmd["nongsan:originPlots"] == [f"http://localhost/id/plot/{chain.world.an_plot}"]
    assert harvest["readPoint"] == {"id": f"http://localhost/id/plot/{chain.world.an_plot}"}
    assert harvest["eventTimeZoneOffset"] == "+07:00" and harvest["eventTime"].endswith("+07:00")


def test_a_lot_with_a_gtin_is_named_by_its_digital_link(client, chain):
    document = lineage_document(client, chain)
    classes = {q["epcClass"] for e in by_operation(document, "harvest") for q in e["quantityList"]}
    assert f"http://localhost/01/{GTIN}/10/BINH-01" in classes


def test_transformation_lists_inputs_and_outputs_in_kilograms(client, chain):
    document = lineage_document(client, chain)
    (shelling,) = by_operation(document, "transform")
    assert shelling["type"] == "TransformationEvent"
    assert shelling["inputQuantityList"] == [
        {"epcClass": f"http://localhost/t/{chain.merged}", "quantity": 1750, "uom": "KGM"}
    ]
    assert shelling["outputQuantityList"] == [
        {"epcClass": f"http://localhost/t/{chain.kernels}", "quantity": 420, "uom": "KGM"}
    ]
    assert shelling["bizStep"] == "http://localhost/voc/bizstep/shelling"
    (merge,) = by_operation(document, "merge")
    assert {q["quantity"] for q in merge["inputQuantityList"]} == {950, 800}


def test_sale_is_a_transaction_event_naming_the_order(client, chain):
    document = lineage_document(client, chain)
    (sale,) = [e for e in document["epcisBody"]["eventList"] if e["type"] == "TransactionEvent"]
    assert sale["bizTransactionList"] == [
        {"type": "po", "bizTransaction": f"http://localhost/id/order/{chain.order_reference}"}
    ]
    assert sale["quantityList"] == [{"epcClass": f"http://localhost/t/{chain.sold}", "quantity": 100, "uom": "KGM"}]
    assert sale["destinationList"] == [
        {"type": "owning_party", "destination": f"http://localhost/id/organization/{chain.world.outsider_org}"}
    ]


def test_a_corrected_step_carries_its_error_declaration_and_measurements(client, chain):
    document = lineage_document(client, chain)
    events = {e["eventID"]: e for e in document["epcisBody"]["eventList"]}
    drying = events[chain.drying_event]
    assert drying["errorDeclaration"]["reason"] == "incorrect_data"
    assert drying["errorDeclaration"]["correctiveEventIDs"] == [chain.corrective_event]
    assert chain.corrective_event in events
    report = drying["sensorElementList"][0]["sensorReport"][0]
    assert report == {"type": "http://localhost/voc/measurement/moisture", "value": 9.5, "uom": "P1"}
    # The drying lost 50 kg: the lot was observed and the loss travels with it.
    assert drying["action"] == "OBSERVE"
    assert drying["nongsan:removedQuantityList"] == [
        {"epcClass": f"http://localhost/t/{chain.an_lot}", "quantity": 50, "uom": "KGM"}
    ]
    corrected = events[chain.corrective_event]["sensorElementList"][0]["sensorReport"][0]
    assert corrected["value"] == 8.5


def test_an_organization_with_a_gln_is_named_by_its_gln(client, chain, official_validator):
    gln = "8935000000014"

    def give_gln():
        db.session.get(Organization, chain.world.processor_org).gln = gln
        db.session.commit()

    seeded(chain.world.app, give_gln)
    document = lineage_document(client, chain)
    assert schema_problems(official_validator, document) == []
    (shelling,) = by_operation(document, "transform")
    assert shelling["bizLocation"] == {"id": f"https://id.gs1.org/414/{gln}"}
    receipt = next(e for e in document["epcisBody"]["eventList"] if e["bizStep"] == "receiving")
    assert receipt["destinationList"][0]["destination"] == f"https://id.gs1.org/417/{gln}"


def test_organization_gln_is_checked(client, chain):
    url = f"/api/v1/organizations/{chain.world.processor_org}"
    bad = client.patch(url, json={"gln": "8935000000015"}, headers=chain.world.auth("processor"))
    assert bad.status_code == 422
    assert bad.get_json()["errors"]["gln"] == ["A GLN is 13 digits whose last digit is the GS1 check digit."]
    good = client.patch(url, json={"gln": "8935000000014"}, headers=chain.world.auth("processor"))
    assert good.status_code == 200 and good.get_json()["gln"] == "8935000000014"
    taken = client.patch(
        f"/api/v1/organizations/{chain.world.an_org}", json={"gln": "8935000000014"}, headers=chain.world.auth("an")
    )
    assert taken.status_code == 422 and "gln" in taken.get_json()["errors"]


def test_lineage_is_refused_to_outsiders(client, chain):
    response = client.get(f"/api/v1/batches/{chain.kernels}/epcis", headers=chain.world.auth("cuc"))
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert client.get(f"/api/v1/batches/{chain.kernels}/epcis").status_code == 401


def test_nothing_private_is_exported(client, chain):
    text = client.get(f"/api/v1/batches/{chain.kernels}/epcis", headers=chain.world.auth("processor")).get_data(
        as_text=True
    )
    assert "Hộ an" not in text and "Nông dân" not in text  # no names of households or people
