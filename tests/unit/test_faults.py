"""Expected faults are one WARNING line saying what happens next; the unexpected keep their
ERROR and traceback."""

import io
import json
import logging

import pytest
import structlog
from aiokafka.errors import KafkaConnectionError, NodeNotReadyError
from sqlalchemy.exc import DBAPIError, OperationalError

from shared.faults import LibraryNoiseFilter, is_expected_fault
from shared.logging import configure_logging


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def lines(monkeypatch: pytest.MonkeyPatch) -> tuple[io.StringIO, Clock]:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    structlog.reset_defaults()
    configure_logging("INFO", json=True, service="test")
    clock = Clock()
    handler = logging.getLogger().handlers[0]
    for old in list(handler.filters):
        handler.removeFilter(old)
    handler.addFilter(LibraryNoiseFilter(window_s=30, clock=clock))
    yield stream, clock
    structlog.contextvars.clear_contextvars()


def _read(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_broker_restart_is_one_warning_per_kind_without_a_traceback(lines) -> None:
    stream, clock = lines
    aiokafka = logging.getLogger("aiokafka")
    for _ in range(20):  # the reconnect loop while the broker is away
        try:
            raise KafkaConnectionError("Connection at 127.0.0.1:9092 closed")
        except KafkaConnectionError:
            aiokafka.error("Unable connect to node with id %s: %s", 1, "refused", exc_info=True)
        logging.getLogger("aiokafka.consumer.fetcher").error("Failed fetch messages from %s", 1)
        clock.now += 1
    found = _read(stream)
    assert [(line["logger"], line["level"]) for line in found] == [
        ("aiokafka", "warning"),
        ("aiokafka.consumer.fetcher", "warning"),
    ]
    assert found[0]["next"] and "exception" not in found[0]
    assert "Traceback" not in stream.getvalue()
    clock.now += 30  # the next window: one more line, saying how many were left out
    aiokafka.error("Unable connect to node with id %s: %s", 1, "refused")
    last = _read(stream)[-1]
    assert last["level"] == "warning" and last["suppressed"] == 19


def test_a_client_started_while_the_broker_is_away_is_a_warning(lines) -> None:
    """aiokafka's bootstrap line: a consumer restarted during a broker restart fails to start
    (its owner starts it again with a back-off)."""
    stream, _clock = lines
    logging.getLogger("aiokafka").error(
        'Unable connect to "%s:%s": %s', "127.0.0.1", 9092, "[Errno 111] Connect call failed"
    )
    (line,) = _read(stream)
    assert line["level"] == "warning" and line["next"]


def test_an_unknown_library_error_keeps_its_level_and_traceback(lines) -> None:
    stream, _clock = lines
    try:
        raise ValueError("a bug")
    except ValueError:
        logging.getLogger("aiokafka").error("Something nobody expected", exc_info=True)
        logging.getLogger("aiokafka").error("Something nobody expected", exc_info=True)
    found = _read(stream)
    assert [line["level"] for line in found] == ["error", "error"]
    assert "ValueError" in found[0]["exception"]


def test_faststream_topic_creation_notice_is_not_shown(lines) -> None:
    stream, _clock = lines
    logging.getLogger("trc.faststream").warning(
        "Topic creation is skipped in consumer-only mode. Make sure the topics exist."
    )
    assert stream.getvalue() == ""


def test_expected_faults_are_told_from_bugs() -> None:
    assert is_expected_fault(ConnectionRefusedError())
    assert is_expected_fault(KafkaConnectionError())
    assert is_expected_fault(NodeNotReadyError())  # retriable
    assert is_expected_fault(OperationalError("SELECT 1", {}, Exception("server closed")))
    wrapped = RuntimeError("wrapped")
    wrapped.__cause__ = ConnectionResetError()
    assert is_expected_fault(wrapped)
    assert not is_expected_fault(ValueError("a bug"))
    assert not is_expected_fault(KeyError("a bug"))


def test_a_library_traceback_of_an_expected_fault_is_one_warning(lines) -> None:
    """uvicorn's "Exception in ASGI application" when a request met the database restarting."""
    stream, _clock = lines
    for _ in range(3):
        try:
            raise OperationalError("SELECT 1", {}, ConnectionResetError("server closed"))
        except OperationalError:
            logging.getLogger("uvicorn.error").error("Exception in ASGI application", exc_info=True)
    found = _read(stream)
    assert len(found) == 1 and found[0]["level"] == "warning" and "exception" not in found[0]


def test_postgresql_restarting_is_an_expected_fault() -> None:
    class CannotConnectNow(Exception):
        sqlstate = "57P03"  # "the database system is starting up"

    wrapped = DBAPIError("SELECT 1", {}, CannotConnectNow())
    assert is_expected_fault(wrapped)
    assert not is_expected_fault(DBAPIError("SELECT 1", {}, Exception("syntax error")))
