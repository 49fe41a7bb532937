"""Turning a Kafka record into a typed event, or into the reason it cannot be one."""

from __future__ import annotations

from dataclasses import dataclass

from shared.contracts import Envelope, UnknownEvent, event_spec
from shared.contracts.events import Payload
from shared.messaging.deadletter import describe_error, raw_message_id
from shared.messaging.handler import Record


@dataclass
class Decoded:
    record: Record
    message_id: str
    source_topic: str
    envelope: Envelope | None = None
    payload: Payload | None = None
    error: str | None = None


def decode_record(record: Record, prefix: str) -> Decoded:
    """Read a record's envelope and typed payload; never raises (``error`` says what failed)."""
    source = record.topic[len(prefix) :] if record.topic.startswith(prefix) else record.topic
    item = Decoded(record=record, message_id="", source_topic=source)
    try:
        envelope = Envelope.model_validate_json(record.value or b"")
        if "event_id" not in envelope.model_fields_set:
            # The model would make up a new id at every delivery: take the one its bytes give,
            # so that a redelivery stays a duplicate (and a dead letter is parked once).
            envelope = envelope.model_copy(update={"event_id": raw_message_id(record)})
        item.envelope = envelope
        item.message_id = envelope.event_id
        spec = event_spec(envelope.event_type, envelope.version)
        if spec.topic != source:
            raise UnknownEvent(f"{envelope.event_type} v{envelope.version} not on {source}")
        item.payload = spec.payload_model.model_validate(envelope.payload)
    except Exception as exc:
        item.error = describe_error(exc)
        if item.envelope is None:
            item.message_id = raw_message_id(record)  # same bytes → same id, for the inbox
    return item
