"""No name, NIK or phone number ever reaches a log line; ordinary numbers are kept."""

import io
import json
import logging

import structlog

from shared.logging import configure_logging, get_logger, scrub_text


def capture(monkeypatch) -> io.StringIO:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    structlog.reset_defaults()
    configure_logging("INFO", json=True, service="test")
    return stream


def test_personal_data_never_reaches_a_log_line(monkeypatch) -> None:
    stream = capture(monkeypatch)
    log = get_logger("t")
    log.info(
        "report_logged",
        reporter_name="Siti Aminah",
        nik="2171012345678901",
        phone="081234567890",
        note="pelapor 0812-3456-7890, NIK 2171012345678901",
        details={"name": "Budi", "category": "odgj"},
    )
    logging.getLogger("aiokafka").warning("peer +6281234567890 said hello")
    out = stream.getvalue()
    for secret in (
        "Siti",
        "2171012345678901",
        "081234567890",
        "0812-3456-7890",
        "Budi",
        "6281234567890",
    ):
        assert secret not in out
    line = json.loads(out.splitlines()[0])
    assert line["event"] == "report_logged"
    assert line["details"]["category"] == "odgj"
    assert line["service"] == "test"
    structlog.contextvars.clear_contextvars()


def test_scrub_keeps_ordinary_numbers() -> None:
    assert scrub_text("3 orang, 45 menit, region 21.71") == "3 orang, 45 menit, region 21.71"
