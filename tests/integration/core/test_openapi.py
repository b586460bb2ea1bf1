"""The OpenAPI document: served, committed without drift, browsable offline."""

from __future__ import annotations

import json
import re

from core.app import ROOT

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


def normalized(document: dict) -> str:
    return json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False)


def test_openapi_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert "bearerAuth" in document["components"]["securitySchemes"]


def test_committed_openapi_json_matches_the_code(app, client):
    """`make openapi` writes openapi.json; a change to the API must come with the regenerated file."""
    committed = json.loads((ROOT / "openapi.json").read_text(encoding="utf-8"))
    with app.app_context():
        generated = app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    assert normalized(committed) == normalized(generated), "openapi.json drifted from the code: run 'make openapi'"
    assert normalized(committed) == normalized(client.get("/api/openapi.json").get_json())


def test_api_paths_have_no_trailing_slash(app, client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    offenders = [path for path in paths if path.startswith("/api/v1") and path.endswith("/")]
    offenders += [
        rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1") and rule.rule.endswith("/")
    ]
    assert offenders == []


def test_api_docs_work_offline(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assets = ASSET.findall(page)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), f"{asset} is not served by this app"
        with client.get(asset) as served:  # a file response: closed, or its file handle leaks
            assert served.status_code == 200, asset
            assert len(served.data) > (100 if asset.startswith("/static/") else 1000), asset
    assert '"/api/openapi.json"' in page
    # Swagger UI's default validator badge would load an image from the internet.
    assert '"validatorUrl": null' in page
    assert "http://" not in page and "https://" not in page


def test_api_docs_assets_do_not_leak_other_files(client):
    response = client.get("/api/docs/assets/../../__init__.py")
    assert response.status_code == 404
    assert client.get("/api/docs/assets/no-such-file.js").status_code == 404


def test_every_create_documents_the_idempotency_key_header(client):
    document = client.get("/api/openapi.json").get_json()
    posts = {path: operations["post"] for path, operations in document["paths"].items() if "post" in operations}
    assert "/api/v1/accounts" in posts and "/api/v1/batches" in posts
    for path, post in posts.items():
        assert {"$ref": "#/components/parameters/IdempotencyKey"} in post.get("parameters", []), path
    assert document["components"]["parameters"]["IdempotencyKey"]["name"] == "Idempotency-Key"
