"""Event contracts: the envelope, the payloads and the topic registry.

This package depends on pydantic alone (and uuid6 for ids), so an integrator can vendor it.
"""

from shared.contracts.envelope import Envelope, new_event_id
from shared.contracts.registry import (
    EVENTS,
    TOPICS,
    EventSpec,
    TopicSpec,
    UnknownEvent,
    dead_letter_topic,
    event_spec,
    event_spec_for,
    make_envelope,
    parse_payload,
    topic_spec,
    topics_consumed_by,
)

__all__ = [
    "EVENTS",
    "TOPICS",
    "Envelope",
    "EventSpec",
    "TopicSpec",
    "UnknownEvent",
    "dead_letter_topic",
    "event_spec",
    "event_spec_for",
    "make_envelope",
    "new_event_id",
    "parse_payload",
    "topic_spec",
    "topics_consumed_by",
]
