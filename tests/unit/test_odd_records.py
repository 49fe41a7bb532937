"""Records the topic fuzz found slipping past the dead-letter path: a null header value (the
whole batch was dropped unparked) and a message near the size limit (its dead letter could not
be sent, and held up every event of the service behind it)."""

from __future__ import annotations

from aiokafka.record.default_records import DefaultRecordBatchBuilder
from aiokafka.structs import ConsumerRecord
from faststream.kafka.message import KafkaAckableMessage
from faststream.kafka.parser import AioKafkaBatchParser

from shared.messaging.deadletter import INVALID, dead_letter_row
from shared.messaging.outbox import MAX_RECORD_BYTES, decode_headers
from shared.messaging.subscriber import _parse_tolerating_binary_headers
from tests.support import consumer_record


def record(value: bytes, headers: tuple[tuple[str, bytes | None], ...] = ()) -> ConsumerRecord:
    return consumer_record(value, headers=headers)


async def test_a_null_header_value_reaches_the_consumer_instead_of_losing_the_batch() -> None:
    parser = AioKafkaBatchParser(msg_class=KafkaAckableMessage, regex=None)
    records = (record(b"{}", (("trace", None), ("bin", b"\xff"))), record(b"{}"))
    message = await _parse_tolerating_binary_headers(records, parser.parse_batch)
    assert message.raw_message == records  # the originals, for the consumer and dead letters


def park(value: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    row = dead_letter_row(
        record(value, (("trace", b"t-1"),)),
        source_topic="trc.reports.v1",
        consumer="dispatch.reports",
        reason=INVALID,
        error="Envelope validation failed: <root>: Invalid JSON",
        attempts=1,
        message_id="raw-1",
    )
    return row["value"], decode_headers(row["headers"])


def test_a_dead_letter_of_a_message_near_the_size_limit_is_cut_to_fit() -> None:
    room = MAX_RECORD_BYTES - 50
    value = b"x" * (room - DefaultRecordBatchBuilder.estimate_size_in_bytes(b"21.71", b"", []))
    parked, headers = park(value)
    assert DefaultRecordBatchBuilder.estimate_size_in_bytes(b"21.71", parked, headers) <= (
        MAX_RECORD_BYTES
    )
    assert value.startswith(parked) and len(parked) > len(value) - 1000
    assert dict(headers)["trc-dlt-truncated"] == str(len(value)).encode()
    assert headers[0] == ("trace", b"t-1")


def test_a_dead_letter_that_fits_is_the_original_byte_for_byte() -> None:
    value = b"x" * 500_000
    parked, headers = park(value)
    assert parked == value
    assert "trc-dlt-truncated" not in dict(headers)
