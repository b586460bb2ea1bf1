"""GS1 Digital Link URIs: built for QR codes (checked with biip), parsed for the resolver."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import biip
import pytest

from traceability import digital_link
from traceability.digital_link import DigitalLinkSyntaxError

BASE = "https://nongsan.example.vn"
GTIN = "08930000000019"  # Vietnamese prefix 893, check digit 9


def element_strings(uri: str) -> dict[str, biip.gs1_messages.GS1ElementString]:
    result = biip.parse(uri)
    assert result.gs1_digital_link_uri_error is None, result.gs1_digital_link_uri_error
    assert result.gtin_error is None
    strings = {es.ai.ai: es for es in result.gs1_digital_link_uri.element_strings}
    assert all(es.gtin_error is None for es in strings.values())
    return strings


def test_a_lot_link_passes_biip_with_no_check_digit_error():
    uri = digital_link.build(BASE, GTIN, "7KQ2MXPA")
    assert uri == f"{BASE}/01/{GTIN}/10/7KQ2MXPA"
    strings = element_strings(uri)
    assert strings["01"].value == GTIN and strings["10"].value == "7KQ2MXPA"


def test_a_shorter_gtin_is_written_as_gtin_14():
    assert digital_link.build(BASE, "8930000000019", "L1") == f"{BASE}/01/{GTIN}/10/L1"


def test_harvest_date_and_net_weight_are_data_attributes_biip_reads():
    uri = digital_link.build(BASE, GTIN, "HTX/2026/01", harvest_date=date(2026, 1, 15), net_weight_kg=Decimal("80"))
    assert "/10/HTX%2F2026%2F01?" in uri
    strings = element_strings(uri)
    assert strings["10"].value == "HTX/2026/01"
    assert strings["7007"].date == date(2026, 1, 15)
    weight_ai = next(ai for ai in strings if ai.startswith("310"))
    assert strings[weight_ai].decimal == Decimal("80")


@pytest.mark.parametrize(
    ("kg", "expected"),
    [
        ("80", ("3104", "800000")),
        ("33.33", ("3104", "333300")),
        ("1000", ("3102", "100000")),
        ("0.125", ("3105", "012500")),
    ],
)
def test_net_weight_keeps_as_many_decimals_as_six_digits_hold(kg, expected):
    assert digital_link.net_weight_attribute(Decimal(kg)) == expected


def test_a_wrong_check_digit_is_a_bad_request_naming_the_digit():
    with pytest.raises(DigitalLinkSyntaxError) as caught:
        digital_link.build(BASE, "08930000000018", "L1")
    assert caught.value.status == 400
    assert "should be 9" in caught.value.errors["gtin"][0]


def test_parse_reads_the_qualifiers_and_the_data_attributes():
    link = digital_link.parse(
        f"/01/{GTIN}/10/HTX%2F26/21/0042", {"7007": "260115", "3103": "080000", "linkType": "gs1:pip"}
    )
    assert (link.gtin, link.lot, link.serial) == (GTIN, "HTX/26", "0042")
    assert link.attributes == {"7007": "260115", "3103": "080000"}
    assert link.uri(BASE) == f"{BASE}/01/{GTIN}/10/HTX%2F26/21/0042"


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/01/0893000000001", {}),  # 13 digits with a wrong check digit
        ("/01/08930000000018/10/L1", {}),  # wrong check digit
        ("/01/089300000000/10/L1", {}),  # 12 digits but not a GTIN-12 with its check digit
        ("/01/ABC/10/L1", {}),
        ("/01/08930000000019/10", {}),  # a qualifier without value
        ("/01/08930000000019/21/5/10/L1", {}),  # serial before lot
        ("/01/08930000000019/10/L1/10/L2", {}),  # repeated
        ("/01/08930000000019/17/260101", {}),  # (17) is a data attribute, not a key qualifier
        ("/01/08930000000019/10/L%C3%94", {}),  # "LÔ": not GS1 character set 82
        ("/01/08930000000019/10/ABCDEFGHIJKLMNOPQRSTU", {}),  # 21 characters
        ("/01/08930000000019/10/L1", {"7007": "261340"}),  # no 40th of month 13
        ("/01/08930000000019/10/L1", {"3103": "80"}),
    ],
)
def test_malformed_links_are_bad_requests(path, query):
    with pytest.raises(DigitalLinkSyntaxError):
        digital_link.parse(path, query)


def test_a_batch_without_lot_number_is_known_by_its_code():
    assert digital_link.lot_for("7KQ2MXPA", None) == "7KQ2MXPA"
    assert digital_link.lot_for("7KQ2MXPA", "HTX-2026-01") == "HTX-2026-01"
    assert digital_link.trace_url(BASE + "/", "7KQ2MXPA") == f"{BASE}/t/7KQ2MXPA"
