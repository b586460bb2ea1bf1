"""The facts of the published OpenAPI document that a generated client depends on (issue #14: schemathesis found
them wrong). ``tests/integration/core/test_openapi.py`` keeps the file equal to what the code generates, and the
fuzz test (``test_api_fuzz.py``) checks the server against it; these pin what the document must say."""

from __future__ import annotations

import json

import pytest

from core.app import ROOT
from market.models import OrderStatus

DOCUMENT = json.loads((ROOT / "openapi.json").read_text())
COMPONENTS = DOCUMENT["components"]


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        section, name = node["$ref"].split("/")[-2:]
        node = COMPONENTS[section][name]
    return node


def _responses():
    for path, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            if isinstance(operation, dict) and "responses" in operation:
                for status, response in operation["responses"].items():
                    yield path, method, status, _resolve(response)


def test_every_error_response_is_documented_as_problem_json():
    errors = [(p, m, s, r) for p, m, s, r in _responses() if s == "default" or int(s) >= 400]
    assert len(errors) > 50
    wrong = [
        (p, m, s, sorted(r["content"]))
        for p, m, s, r in errors
        if set(r.get("content", {})) - {"application/problem+json"}
    ]
    assert wrong == []
    assert all("content" in r for *_, r in errors), "an error response without its problem body"


def test_x_pagination_is_json_text_not_an_object_header():
    header = COMPONENTS["headers"]["PAGINATION"]
    assert "schema" not in header  # a header's value is text: the JSON it holds is described as content
    schema = _resolve(header["content"]["application/json"]["schema"])
    assert {"total", "total_pages", "page"} <= set(schema["properties"])


def test_idempotency_key_states_its_rule():
    schema = COMPONENTS["parameters"]["IdempotencyKey"]["schema"]
    assert (schema["minLength"], schema["maxLength"], schema["pattern"]) == (1, 255, "^[!-~]+$")


def test_merge_needs_two_inputs_and_transitions_name_their_statuses():
    assert COMPONENTS["schemas"]["Merge"]["properties"]["inputs"]["minItems"] == 2
    assert set(COMPONENTS["schemas"]["Transition"]["properties"]["to"]["enum"]) == {
        status.value for status in OrderStatus
    }


@pytest.mark.parametrize("name", sorted(COMPONENTS["schemas"]))
def test_no_quantity_has_an_empty_schema(name):
    for prop, schema in COMPONENTS["schemas"][name].get("properties", {}).items():
        if "quantity" in prop:
            typed = "type" in schema or "oneOf" in schema or "$ref" in schema
            assert typed, f"{name}.{prop} has no type: any value, null included, would look valid"
            nullable = schema.get("nullable") or any(option.get("nullable") for option in schema.get("oneOf", []))
            if schema.get("default", 0) is None:  # optional, None when absent: null must be stated as valid
                assert nullable, f"{name}.{prop} defaults to null but does not say it may be null"


def test_every_operation_reading_a_body_documents_its_415():
    reading = [
        (path, method, operation)
        for path, methods in DOCUMENT["paths"].items()
        for method, operation in methods.items()
        if isinstance(operation, dict) and "requestBody" in operation
    ]
    assert len(reading) > 20
    for path, method, operation in reading:
        response = _resolve(operation["responses"].get("415", {}))
        assert "application/problem+json" in response.get("content", {}), f"{method.upper()} {path}"
