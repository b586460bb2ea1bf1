"""The EUDR GeoJSON as bytes: compact, UTF-8, coordinates untouched, and never over the EU Information System's
limit."""

import json

import pytest

from traceability.errors import GeolocationTooLargeError
from traceability.services.eudr_package import encode_feature_collection

FEATURE = {
    "type": "Feature",
    "id": 7,
    "geometry": {"type": "Point", "coordinates": [106.58123456, 11.8512345]},
    "properties": {"ProducerName": "Hộ Lê Văn Cúc", "ProducerCountry": "VN", "ProductionPlace": "Vườn", "Area": 1.2},
}


def test_the_collection_is_compact_utf8_with_coordinates_digit_for_digit():
    body = encode_feature_collection([FEATURE], batch_code="ABC")
    assert body.startswith(b'{"type":"FeatureCollection","features":[{')
    assert "Hộ Lê Văn Cúc".encode() in body  # not \u escapes: a third of the size for Vietnamese names
    assert b"[106.58123456,11.8512345]" in body
    assert json.loads(body)["features"] == [FEATURE]


def test_a_collection_of_exactly_the_limit_is_sent_and_one_byte_more_is_refused():
    size = len(encode_feature_collection([FEATURE], batch_code="ABC"))
    assert encode_feature_collection([FEATURE], batch_code="ABC", max_bytes=size)
    with pytest.raises(GeolocationTooLargeError) as refused:
        encode_feature_collection([FEATURE], batch_code="ABC", max_bytes=size - 1)
    assert refused.value.status == 409 and refused.value.code == "eudr_geojson_too_large"
    assert refused.value.extra == {"size_bytes": size, "limit_bytes": size - 1}
