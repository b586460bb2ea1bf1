"""GeoJSON plot geometry as the EUDR wants it."""

import json
from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.errors import ValidationError
from traceability.geometry import (
    area_ha,
    eudr_geolocation_ok,
    eudr_plot_status,
    needs_polygon,
    reduced_precision,
    validate_geometry,
)

# A square of about 0.001° (~110 m) on a side near Lộc Ninh: a little over 1 ha.
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [
            [106.5812345, 11.8512345],
            [106.5822345, 11.8512345],
            [106.5822345, 11.8522345],
            [106.5812345, 11.8522345],
            [106.5812345, 11.8512345],
        ]
    ],
}


def geometry_error(value) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_geometry(value)
    assert list(caught.value.errors) == ["geometry"]
    return caught.value.errors["geometry"][0]


def test_a_point_and_a_polygon_are_accepted():
    point = {"type": "Point", "coordinates": [106.5812345, 11.8512345]}
    assert validate_geometry(point) == point
    assert validate_geometry(SQUARE) == SQUARE


def test_a_feature_is_unwrapped_to_its_geometry():
    feature = {"type": "Feature", "properties": {"name": "Lô A"}, "geometry": SQUARE}
    assert validate_geometry(feature) == SQUARE


def test_coordinates_keep_all_their_decimals():
    point = {"type": "Point", "coordinates": [106.123456789, 11.987654321]}
    kept = validate_geometry(json.loads(json.dumps(point)))
    assert kept["coordinates"] == [106.123456789, 11.987654321]
    assert json.dumps(kept).count("106.123456789") == 1


@pytest.mark.parametrize(
    "value",
    [
        "not json",
        None,
        {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
        {"type": "Point"},
        {"type": "Point", "coordinates": ["106", "11"]},
        {"type": "Point", "coordinates": [106.5]},
    ],
)
def test_invalid_geojson_is_a_geometry_error(value):
    assert geometry_error(value)


def test_an_open_ring_is_refused():
    ring = SQUARE["coordinates"][0][:-1] + [[106.5812345, 11.8512999]]
    message = geometry_error({"type": "Polygon", "coordinates": [ring]})
    assert "not closed" in message


def test_a_self_intersecting_bowtie_is_refused():
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[106.0, 11.0], [106.001, 11.001], [106.001, 11.0], [106.0, 11.001], [106.0, 11.0]]],
    }
    message = geometry_error(bowtie)
    assert "crosses itself" in message


def test_a_multipolygon_with_a_bowtie_is_refused():
    bowtie = [[[106.0, 11.0], [106.001, 11.001], [106.001, 11.0], [106.0, 11.001], [106.0, 11.0]]]
    assert geometry_error({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], bowtie]})


@pytest.mark.parametrize("coordinates", [[181.0, 11.0], [106.0, 91.0], [-200.0, 0.0]])
def test_coordinates_outside_wgs84_are_refused(coordinates):
    assert "outside WGS84" in geometry_error({"type": "Point", "coordinates": coordinates})


def test_swapped_latitude_and_longitude_get_a_hint():
    assert "Longitude comes first" in geometry_error({"type": "Point", "coordinates": [11.85, 106.58]})


def test_area_of_a_polygon_in_hectares():
    area = area_ha(SQUARE)
    # 0.001° of latitude ≈ 111.2 m; of longitude at 11.85° N ≈ 108.8 m.
    assert Decimal("1.19") < area < Decimal("1.23")
    assert area_ha({"type": "Point", "coordinates": [106.0, 11.0]}) is None


def test_more_than_four_hectares_need_a_polygon():
    assert needs_polygon(Decimal("4.01"))
    assert not needs_polygon(Decimal("4"))
    assert not needs_polygon(None)


def test_reduced_precision_rounds_a_copy():
    public = reduced_precision(SQUARE)
    assert public["coordinates"][0][0] == [106.581, 11.851]
    assert SQUARE["coordinates"][0][0] == [106.5812345, 11.8512345]


def test_eudr_geolocation_of_plots():
    point = {"type": "Point", "coordinates": [106.58, 11.85]}
    big_point = SimpleNamespace(geometry=point, area_ha=Decimal("5.5"), deforestation_free=True)
    small_point = SimpleNamespace(geometry=point, area_ha=Decimal("2"), deforestation_free=True)
    big_polygon = SimpleNamespace(geometry=SQUARE, area_ha=Decimal("5.5"), deforestation_free=False)
    nothing = SimpleNamespace(geometry=None, area_ha=Decimal("1"), deforestation_free=True)

    ok, reasons = eudr_geolocation_ok(big_point)
    assert not ok and "polygon" in reasons[0]
    assert eudr_geolocation_ok(small_point) == (True, [])
    assert eudr_geolocation_ok(big_polygon) == (True, [])
    assert not eudr_geolocation_ok(nothing)[0]

    ready, reasons = eudr_plot_status(big_polygon)
    assert not ready and "31 December 2020" in reasons[0]
    assert eudr_plot_status(small_point) == (True, [])
