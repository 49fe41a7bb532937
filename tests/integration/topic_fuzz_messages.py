"""Messages for fuzzing a consumed topic: garbage, mutated copies of the contracts' example
envelopes (each refused by the contracts, checked here), and valid events to send after them.

Everything is drawn from a seeded :class:`random.Random`, so a failing run can be repeated.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiokafka.record.default_records import DefaultRecordBatchBuilder
from annotated_types import MaxLen
from pydantic import ValidationError

from shared.contracts import EVENTS, Envelope, UnknownEvent, event_spec, new_event_id
from shared.contracts.registry import EventSpec
from shared.messaging.outbox import MAX_RECORD_BYTES, envelope_headers

# Planted in bad values: a dead letter's reason must never repeat input values.
MARKER = "FUZZ-VALUE-7f3a"
REGION = b"21.71"
NEAR_THE_SIZE_LIMIT = "near-the-size-limit"
Body = dict[str, Any]
Headers = tuple[tuple[str, bytes | None], ...]


@dataclass(frozen=True)
class Message:
    """One record to publish. ``event_type`` is set for valid events only."""

    topic: str
    partition: int
    key: bytes | None
    value: bytes | None
    headers: Headers
    kind: str
    event_type: str | None = None
    event_id: str | None = None

    @property
    def bad(self) -> bool:
        return self.event_type is None


def specs_on(topic: str) -> list[EventSpec]:
    return [e for e in EVENTS if e.topic == topic]


def refused_by_contracts(topic: str, value: bytes | None) -> bool:
    """What the contracts say of these bytes on this topic (the oracle for "bad")."""
    try:
        envelope = Envelope.model_validate_json(value or b"")
        spec = event_spec(envelope.event_type, envelope.version)
        spec.payload_model.model_validate(envelope.payload)
    except (ValidationError, UnknownEvent):
        return True
    return spec.topic != topic


# ------------------------------------------------------------------------ valid events
def fresh_example(spec: EventSpec, n: int) -> Body:
    """The contract's example envelope with a new event id and its ids made unique by ``n``
    (the same example sent to each partition is a different fact each time)."""
    body = spec.example_envelope() | {"event_id": new_event_id()}
    body["payload"] = {k: _unique(k, v, n) for k, v in spec.payload_model.EXAMPLE.items()}
    return body


def _unique(name: str, value: Any, n: int) -> Any:
    if isinstance(value, str) and name.endswith(("_id", "_ref")):
        return f"{value}-f{n}"
    if isinstance(value, int) and not isinstance(value, bool) and name.endswith("update_id"):
        return value + n
    return value


def valid_events(topic: str, partitions: int) -> list[Message]:
    """Every event registered on the topic, once per partition, carrying fields this release
    does not know (readers ignore them)."""
    out = []
    for partition in range(partitions):
        for spec in specs_on(topic):
            body = fresh_example(spec, partition) | {"added_later": {"x": 1}}
            body["payload"] = body["payload"] | {"added_later": True}
            envelope = Envelope.model_validate(body)
            out.append(
                Message(
                    topic,
                    partition,
                    REGION,
                    json.dumps(body).encode(),
                    tuple(envelope_headers(envelope)),
                    "valid",
                    spec.event_type,
                    envelope.event_id,
                )
            )
    return out


# ------------------------------------------------------------------------ mutations
Mutation = Callable[[random.Random, EventSpec, Body], Body]
ENVELOPE_REQUIRED = [n for n, f in Envelope.model_fields.items() if f.is_required()]
WRONG_ENVELOPE_VALUES: list[tuple[str, Any]] = [
    ("version", "dua"),
    ("version", 1.5),
    ("version", [1]),
    ("region_code", 2171),
    ("payload", [MARKER]),
    ("payload", MARKER),
    ("occurred_at", MARKER),
    ("event_type", 42),
    ("event_id", 12345),
    ("correlation_id", None),
    ("producer", {"name": MARKER}),
]
WRONG_VALUES: list[Any] = [{"wrong": [MARKER]}, [MARKER], MARKER, 12345, True, None, 1.5]


def _drop_envelope_field(rng: random.Random, _spec: EventSpec, body: Body) -> Body:
    field = rng.choice(ENVELOPE_REQUIRED)
    return {k: v for k, v in body.items() if k != field}


def _drop_payload_field(rng: random.Random, spec: EventSpec, body: Body) -> Body:
    required = [n for n, f in spec.payload_model.model_fields.items() if f.is_required()]
    field = rng.choice(required)
    return body | {"payload": {k: v for k, v in body["payload"].items() if k != field}}


def _wrong_envelope_type(rng: random.Random, _spec: EventSpec, body: Body) -> Body:
    field, value = rng.choice(WRONG_ENVELOPE_VALUES)
    return body | {field: value}


def _wrong_payload_type(rng: random.Random, spec: EventSpec, body: Body) -> Body:
    fields = list(spec.payload_model.model_fields)
    rng.shuffle(fields)
    for field in fields:
        for value in rng.sample(WRONG_VALUES, len(WRONG_VALUES)):
            payload = body["payload"] | {field: value}
            try:
                spec.payload_model.model_validate(payload)
            except ValidationError:
                return body | {"payload": payload}
    raise AssertionError(f"no wrong type found for {spec.event_type}")


def _unknown_event_type(rng: random.Random, _spec: EventSpec, body: Body) -> Body:
    return body | {"event_type": f"fuzz.unknown_{rng.randrange(10**6)}"}


def _future_version(rng: random.Random, spec: EventSpec, body: Body) -> Body:
    return body | {"version": spec.version + rng.randint(1, 9)}


def _version_below_one(rng: random.Random, _spec: EventSpec, body: Body) -> Body:
    return body | {"version": rng.choice([0, -1])}


def _event_of_another_topic(rng: random.Random, spec: EventSpec, _body: Body) -> Body:
    other = rng.choice([e for e in EVENTS if e.topic != spec.topic])
    return fresh_example(other, 0)


def _zone_less_time(_rng: random.Random, _spec: EventSpec, body: Body) -> Body:
    return body | {"occurred_at": "2026-11-22T13:05:00"}


def _malformed_region(rng: random.Random, _spec: EventSpec, body: Body) -> Body:
    return body | {"region_code": rng.choice(["Batam", "2171", "", "21.71.x"])}


def _huge_string(rng: random.Random, spec: EventSpec, body: Body) -> Body:
    """A string past its field's bound: a bounded payload field, else the event id."""
    bounded = [
        (name, m.max_length)
        for name, f in spec.payload_model.model_fields.items()
        for m in f.metadata
        if isinstance(m, MaxLen)
    ]
    size = rng.randint(10_000, 200_000)
    huge = (MARKER * (size // len(MARKER) + 1))[:size]
    if bounded:
        name, _limit = rng.choice(bounded)
        return body | {"payload": body["payload"] | {name: huge}}  # size > every bound
    return body | {"event_id": huge}


MUTATIONS: dict[str, Mutation] = {
    "envelope-field-removed": _drop_envelope_field,
    "payload-field-removed": _drop_payload_field,
    "envelope-field-of-wrong-type": _wrong_envelope_type,
    "payload-field-of-wrong-type": _wrong_payload_type,
    "unknown-event-type": _unknown_event_type,
    "future-version": _future_version,
    "version-below-one": _version_below_one,
    "event-of-another-topic": _event_of_another_topic,
    "zone-less-time": _zone_less_time,
    "malformed-region-code": _malformed_region,
    "huge-string": _huge_string,
}


def garbage(rng: random.Random, spec: EventSpec) -> dict[str, bytes | None]:
    """Bytes that are no envelope at all."""
    whole = json.dumps(fresh_example(spec, 0)).encode()
    return {
        "random-bytes": rng.randbytes(rng.randint(1, 512)),
        "empty-value": b"",
        "tombstone": None,
        "not-json": b"{not json " + MARKER.encode(),
        "json-array": json.dumps([MARKER]).encode(),
        "json-string": json.dumps(MARKER).encode(),
        "json-number": b"42",
        "json-null": b"null",
        "truncated-envelope": whole[: rng.randint(1, len(whole) - 1)],
        "invalid-utf8": b'{"event_type": "\xff\xfe", "version": 1}',
        "deeply-nested": b"[" * 5000 + b"]" * 5000,
    }


# ------------------------------------------------------------------------ bad messages
def _key(rng: random.Random) -> bytes | None:
    return rng.choice([REGION, None, b"", rng.randbytes(8), b"x" * 1000])


def _headers(rng: random.Random) -> Headers:
    pool: list[tuple[str, bytes | None]] = [
        ("content-type", b"application/json"),
        ("event-type", b"report.received"),
        ("trace", rng.randbytes(6)),  # not UTF-8
        ("empty", b""),
        ("null", None),
    ]
    return tuple(rng.sample(pool, rng.randint(0, len(pool))))


def _near_the_size_limit(rng: random.Random, key: bytes | None, headers: Headers) -> bytes:
    """Garbage a few bytes short of the record limit: with ``trc-dlt-*`` headers, past it."""
    room = MAX_RECORD_BYTES - rng.randint(16, 200)
    size = room - DefaultRecordBatchBuilder.estimate_size_in_bytes(key, b"", list(headers))
    return (MARKER.encode() * (size // len(MARKER) + 1))[:size]


def bad_messages(rng: random.Random, topic: str, partitions: int) -> list[Message]:
    """Every kind of garbage and every mutation once for the topic, each refused by the
    contracts, on random partitions, with random keys and headers; no two alike."""
    specs = specs_on(topic)
    values = dict(garbage(rng, rng.choice(specs)))
    for kind, mutate in MUTATIONS.items():
        spec = rng.choice(specs)
        values[kind] = json.dumps(mutate(rng, spec, fresh_example(spec, 0))).encode()
    values[NEAR_THE_SIZE_LIMIT] = b""  # made to measure for its key and headers below
    out, seen = [], set()
    for kind, value in values.items():
        key, headers = _key(rng), _headers(rng)
        if kind == NEAR_THE_SIZE_LIMIT:
            value = _near_the_size_limit(rng, key, headers)
        if value is None and key is None:
            key = REGION  # Kafka needs a key or a value
        assert refused_by_contracts(topic, value), f"the fuzzer made a valid event: {kind}"
        if (key or b"", value or b"") in seen:
            continue  # the same bytes are the same message (null as empty): see test_topic_fuzz
        seen.add((key or b"", value or b""))
        out.append(Message(topic, rng.randrange(partitions), key, value, headers, kind))
    return out
