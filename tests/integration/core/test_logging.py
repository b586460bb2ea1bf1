"""The JSON request log: one record per request, with no IP address and no query string."""

from __future__ import annotations

import json
import logging

from core.logging import json_formatter


def request_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "nongsan.request"]


def test_a_request_makes_one_structured_record_without_ip_or_query(client, caplog):
    caplog.set_level(logging.INFO, logger="nongsan.request")
    response = client.get("/healthz?lot=DN-2025-0042&phone=0912345678", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert response.status_code == 200

    records = request_records(caplog)
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.path, record.status) == ("GET", "/healthz", 200)
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0
    assert record.request_id == response.headers["X-Request-ID"]

    line = json_formatter().format(record)
    logged = json.loads(line)
    assert {"method", "path", "status", "duration_ms", "request_id"} <= set(logged)
    assert "203.0.113.7" not in line
    assert "DN-2025-0042" not in line and "0912345678" not in line


def test_the_proxy_request_id_is_kept_and_a_forged_one_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger="nongsan.request")
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c"})
    forged = client.get("/healthz", headers={"X-Request-ID": 'x" injected="1'})
    assert kept.headers["X-Request-ID"] == "lb-7f3a9c"
    assert forged.headers["X-Request-ID"] != 'x" injected="1'
    assert [record.request_id for record in request_records(caplog)] == ["lb-7f3a9c", forged.headers["X-Request-ID"]]


def test_request_records_stay_out_of_the_test_output_unless_asked_for(client, caplog):
    client.get("/healthz")
    # Below the root logger's WARNING and with no handler installed under test: nothing is emitted.
    assert request_records(caplog) == []
