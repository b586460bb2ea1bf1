"""Validation against GS1's official EPCIS 2.0 JSON schema, with its URI format checks in force.

The schema is GS1's file, not ours: it is read from ``EPCIS_SCHEMA_DIR`` (the folder
holding ``epcis-json-schema.json``), never shipped in the repository. Without the
URI format checker (``jsonschema[format-nongpl]``) the schema's ``"format": "uri"``
rules pass anything, so the validator is always built with it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import current_app
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

SCHEMA_FILE = "epcis-json-schema.json"
MAX_REPORTED = 50


class SchemaUnavailable(Exception):
    """EPCIS_SCHEMA_DIR is not set, or holds no readable schema."""


@lru_cache(maxsize=4)
def _validator(path: str) -> Draft7Validator:
    schema = json.loads(Path(path).read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def schema_path() -> Path | None:
    folder = current_app.config.get("EPCIS_SCHEMA_DIR") or ""
    path = Path(folder) / SCHEMA_FILE if folder else None
    return path if path is not None and path.is_file() else None


def validator() -> Draft7Validator:
    path = schema_path()
    if path is None:
        raise SchemaUnavailable(current_app.config.get("EPCIS_SCHEMA_DIR") or "")
    return _validator(str(path))


def schema_errors(document: object) -> list[dict]:
    """Where and why ``document`` fails the schema (empty when it validates), each error at its most precise place."""
    found = []
    seen = set()
    for error in validator().iter_errors(document):
        leaf = best_match([error]) or error
        item = (leaf.json_path, leaf.message)
        if item not in seen:
            seen.add(item)
            found.append({"path": leaf.json_path, "message": leaf.message})
    found.sort(key=lambda item: item["path"])
    return found[:MAX_REPORTED]
