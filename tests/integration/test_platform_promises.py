"""The platform's promises, proven with real processes, a real broker and both databases."""

from __future__ import annotations

import asyncio
import json
import signal
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.contracts import dead_letter_topic
from tests.integration.worker import report
from tests.support import Processes, fetch, wait_until
from trc.embedded.broker import EmbeddedBroker

pytestmark = pytest.mark.integration
WORKER = ["-m", "tests.integration.worker"]


def effects(url: str) -> tuple[int, int]:
    rows = fetch(url, "SELECT count(*), count(DISTINCT event_id) FROM test_effect")
    return (rows[0][0], rows[0][1]) if rows else (0, 0)


def all_effects_once(url: str, expected: int) -> bool:
    total, distinct = effects(url)
    assert total == distinct, f"an effect was applied twice: {total} rows, {distinct} events"
    return total == expected


def receipts(path: Path) -> Counter[str]:
    return Counter(path.read_text().split()) if path.exists() else Counter()


def produced_ids(url: str) -> set[str]:
    return {r[0] for r in fetch(url, "SELECT event_id FROM test_produced_item")}


def consume(processes: Processes, db: str, *extra: str, ready: bool = True) -> Any:
    process = processes.start("consumer", *WORKER, "consume", "--db", db, *extra)
    if ready:
        wait_until(
            lambda: "broker_connected" in process.output() or process.popen.poll() is not None,
            timeout=60,
            what="consumer joined its group",
        )
    return process


def produce(processes: Processes, db: str, *extra: str) -> Any:
    return processes.start("producer", *WORKER, "produce", "--db", db, *extra)


def test_event_written_through_outbox_in_one_process_is_handled_in_another(
    processes: Processes, new_database: Any
) -> None:
    producer_db, consumer_db = new_database("producer"), new_database("consumer")
    consume(processes, consumer_db)
    produce(processes, producer_db, "--count", "300", "--batch", "7")

    wait_until(lambda: all_effects_once(consumer_db, 300), timeout=60, what="300 effects")
    handled = {r[0] for r in fetch(consumer_db, "SELECT event_id FROM test_effect")}
    assert handled == produced_ids(producer_db)
    unpublished = fetch(producer_db, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
    assert unpublished == [(0,)]


def test_consumer_killed_after_committing_effect_before_ack_redelivers_without_second_effect(
    processes: Processes, new_database: Any, tmp_path: Path
) -> None:
    producer_db, consumer_db = new_database("producer"), new_database("consumer")
    marker, receipt_file = tmp_path / "killed", tmp_path / "receipts"
    first = consume(
        processes,
        consumer_db,
        "--kill-after-commit",
        "40",
        "--db-marker",
        str(marker),
        "--receipts",
        str(receipt_file),
    )
    produce(processes, producer_db, "--count", "100", "--batch", "5", "--interval", "0.05")

    wait_until(lambda: first.popen.poll() is not None, timeout=60, what="consumer killed")
    assert first.popen.returncode == -signal.SIGKILL
    assert marker.exists()
    killed_event = fetch(producer_db, "SELECT event_id FROM test_produced_item WHERE seq = 40")
    assert fetch(
        consumer_db, f"SELECT count(*) FROM test_effect WHERE event_id = '{killed_event[0][0]}'"
    ) == [(1,)]

    consume(processes, consumer_db, "--receipts", str(receipt_file), ready=False)
    wait_until(
        lambda: receipts(receipt_file)[killed_event[0][0]] >= 2,
        timeout=90,
        what="the killed batch redelivered",
    )
    wait_until(lambda: all_effects_once(consumer_db, 100), timeout=90, what="100 effects")


def test_relay_killed_between_publishing_and_marking_sent_duplicate_is_absorbed(
    processes: Processes, new_database: Any, tmp_path: Path
) -> None:
    producer_db, consumer_db = new_database("producer"), new_database("consumer")
    receipt_file = tmp_path / "receipts"
    consume(processes, consumer_db, "--receipts", str(receipt_file))
    first = produce(
        processes, producer_db, "--count", "60", "--batch", "60", "--kill-after-publish", "1"
    )

    wait_until(lambda: first.popen.poll() is not None, timeout=60, what="relay killed")
    assert first.popen.returncode == -signal.SIGKILL
    unpublished = fetch(producer_db, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
    assert unpublished[0][0] > 0, "nothing was left unmarked: the crash point was missed"

    produce(processes, producer_db, "--count", "0")  # the restarted relay republishes
    wait_until(lambda: all_effects_once(consumer_db, 60), timeout=60, what="60 effects")
    wait_until(lambda: sum(receipts(receipt_file).values()) > 60, timeout=30, what="the duplicates")
    doubled = [e for e, n in receipts(receipt_file).items() if n > 1]
    assert doubled, "the republished events never reached the consumer"
    wait_until(
        lambda: (
            fetch(producer_db, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == [(0,)]
        ),
        timeout=30,
        what="outbox marked sent",
    )


def test_broker_killed_mid_stream_and_restarted_loses_nothing_and_doubles_nothing(
    tmp_path: Path, own_broker: EmbeddedBroker, topic_prefix: str, new_database: Any
) -> None:
    from tests.conftest import TEST_SESSION_TIMEOUT_MS
    from tests.support import env_with

    processes = Processes(
        tmp_path,
        env_with(
            TRC_KAFKA_BOOTSTRAP=own_broker.bootstrap,
            TRC_KAFKA_TOPIC_PREFIX=topic_prefix,
            TRC_KAFKA_SESSION_TIMEOUT_MS=TEST_SESSION_TIMEOUT_MS,
        ),
    )
    try:
        producer_db, consumer_db = new_database("producer"), new_database("consumer")
        consume(processes, consumer_db)
        produce(processes, producer_db, "--count", "600", "--batch", "3", "--interval", "0.05")

        wait_until(lambda: effects(consumer_db)[0] >= 100, timeout=60, what="stream under way")
        own_broker.kill()
        assert effects(consumer_db)[0] < 600, "the stream ended before the broker was killed"
        own_broker.start()  # same port, empty log, new cluster id

        wait_until(lambda: all_effects_once(consumer_db, 600), timeout=120, what="600 effects")
        handled = {r[0] for r in fetch(consumer_db, "SELECT event_id FROM test_effect")}
        assert handled == produced_ids(producer_db)
        assert any("outbox_replayed" in p.output() for p in processes.started)
    finally:
        processes.stop_all()


async def _inject(
    bootstrap: str, topic: str, messages: list[tuple[bytes, bytes, list[tuple[str, bytes]]]]
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for key, value, headers in messages:
            await producer.send_and_wait(topic, value=value, key=key, headers=headers)
    finally:
        await producer.stop()


async def _read_all(bootstrap: str, topic: str, expected: int, timeout: float = 30) -> list[Any]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    found: list[Any] = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(found) < expected and loop.time() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                found.extend(records)
        await asyncio.sleep(1)  # anything beyond the expected would show up now
        for records in (await consumer.getmany(timeout_ms=500)).values():
            found.extend(records)
    finally:
        await consumer.stop()
    return found


def test_malformed_and_always_failing_messages_go_to_dead_letters_and_the_rest_flows(
    processes: Processes, new_database: Any, kafka_bootstrap: str, topic_prefix: str
) -> None:
    from tests.support import run_async

    producer_db, consumer_db = new_database("producer"), new_database("consumer")
    consume(processes, consumer_db)
    produce(processes, producer_db, "--count", "30", "--fail-seq", "12")
    topic = topic_prefix + "trc.reports.v1"
    good = json.loads(report(999).model_dump_json())
    wrong_version = {
        "event_id": "0193a9f0-0000-7000-8000-000000000099",
        "event_type": "report.received",
        "version": 99,
        "producer": "intake",
        "region_code": "21.71",
        "correlation_id": "x",
        "payload": good,
    }
    wrong_topic = {
        **wrong_version,
        "event_id": "0193a9f0-0000-7000-8000-000000000098",
        "event_type": "case.opened",
        "version": 1,
    }
    run_async(
        _inject(
            kafka_bootstrap,
            topic,
            [
                (b"21.71", b"{not json", [("trace", b"abc")]),
                (b"21.71", json.dumps(wrong_version).encode(), []),
                (b"21.71", json.dumps(wrong_topic).encode(), []),
                (b"\xff\x00", b"\x00\x01binary", [("bin", b"\xff\xfe")]),
            ],
        )
    )
    produce(
        processes,
        producer_db.replace("producer", "producer") if False else new_database("producer2"),
        "--count",
        "20",
        "--start",
        "100",
    )

    wait_until(lambda: all_effects_once(consumer_db, 49), timeout=60, what="49 good effects")
    dead = run_async(_read_all(kafka_bootstrap, dead_letter_topic(topic), expected=5))
    assert len(dead) == 5, [d.value for d in dead]
    by_value = {d.value: d for d in dead}
    malformed = by_value[b"{not json"]
    headers = dict(malformed.headers)
    assert malformed.key == b"21.71"
    assert headers["trace"] == b"abc"
    assert headers["trc-dlt-reason"] == b"invalid"
    assert headers["trc-dlt-topic"] == topic.encode()
    assert b"validation failed" in headers["trc-dlt-error"]
    binary = by_value[b"\x00\x01binary"]
    assert binary.key == b"\xff\x00"
    assert dict(binary.headers)["bin"] == b"\xff\xfe"
    reasons = Counter(dict(d.headers)["trc-dlt-reason"] for d in dead)
    assert reasons == {b"invalid": 4, b"processing": 1}
    failing = next(d for d in dead if dict(d.headers)["trc-dlt-reason"] == b"processing")
    assert b"always fails" in dict(failing.headers)["trc-dlt-error"]
    assert dict(failing.headers)["trc-dlt-attempts"] == b"3"
