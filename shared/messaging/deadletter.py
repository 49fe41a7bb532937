"""Dead letters: the original key, headers and bytes, plus why and where the message failed.

Dead letters leave through the outbox like any event, so parking a message and recording it as
handled commit together: a crash never loses a dead letter, and never parks one twice.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from aiokafka.record.default_records import DefaultRecordBatchBuilder
from aiokafka.structs import ConsumerRecord
from pydantic import ValidationError

from shared.contracts import dead_letter_topic
from shared.logging import scrub_text
from shared.messaging.outbox import MAX_RECORD_BYTES, Headers, OutboxRow, raw_outbox_row

MAX_ERROR_LENGTH = 2000
INVALID = "invalid"
PROCESSING = "processing"
DLT_HEADER_PREFIX = "trc-dlt-"
# Set by `trc dlt replay` on a dead letter published again to its source topic: where it came
# from, and the one consumer that parked it and may now handle it again (see consumer.py).
REPLAY_OF = "trc-replay-of"
REPLAY_FOR = "trc-replay-for"


def describe_error(exc: BaseException) -> str:
    """A reason fit for a header: no input values (they may hold personal data)."""
    if isinstance(exc, ValidationError):
        parts = [
            f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}"
            for err in exc.errors(include_input=False, include_url=False)
        ]
        text = f"{exc.title} validation failed: " + "; ".join(parts)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return scrub_text(text)[:MAX_ERROR_LENGTH]


def replay_target(record: ConsumerRecord[bytes, bytes]) -> str | None:
    """The consumer a replayed dead letter is addressed to, or None for an ordinary message."""
    for name, value in record.headers or ():
        if name == REPLAY_FOR:
            return (value or b"").decode("utf-8", "replace")
    return None


def raw_message_id(record: ConsumerRecord[bytes, bytes]) -> str:
    """Stable id for a message whose envelope cannot be read (same bytes → same id)."""
    digest = hashlib.sha256()
    for part in (record.topic.encode(), record.key or b"", record.value or b""):
        digest.update(len(part).to_bytes(8, "big") + part)
    return "raw-" + digest.hexdigest()[:40]


def dead_letter_row(
    record: ConsumerRecord[bytes, bytes],
    *,
    source_topic: str,
    consumer: str,
    reason: str,
    error: str,
    attempts: int,
    message_id: str,
) -> OutboxRow:
    headers = list(record.headers or ())
    headers += [
        ("trc-dlt-reason", reason.encode()),
        ("trc-dlt-error", error.encode()),
        ("trc-dlt-topic", record.topic.encode()),
        ("trc-dlt-partition", str(record.partition).encode()),
        ("trc-dlt-offset", str(record.offset).encode()),
        ("trc-dlt-consumer", consumer.encode()),
        ("trc-dlt-attempts", str(attempts).encode()),
        ("trc-dlt-at", datetime.now(UTC).isoformat().encode()),
    ]
    value, headers = _within_size_limit(record.key, record.value or b"", headers)
    return raw_outbox_row(
        event_id=f"dlt-{consumer}-{message_id}",
        topic=dead_letter_topic(source_topic),
        key=record.key,
        value=value,
        headers=headers,
    )


def _within_size_limit(key: bytes | None, value: bytes, headers: Headers) -> tuple[bytes, Headers]:
    """A message near the size limit is past it with the ``trc-dlt-*`` headers, and a dead
    letter the relay cannot send would hold up every event behind it: its value is cut to fit,
    and ``trc-dlt-truncated`` says how long it was."""
    if DefaultRecordBatchBuilder.estimate_size_in_bytes(key, value, headers) <= MAX_RECORD_BYTES:
        return value, headers
    headers = [*headers, ("trc-dlt-truncated", str(len(value)).encode())]
    excess = DefaultRecordBatchBuilder.estimate_size_in_bytes(key, value, headers)
    return value[: max(len(value) - (excess - MAX_RECORD_BYTES), 0)], headers
