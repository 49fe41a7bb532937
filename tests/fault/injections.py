"""The faults a day on the stack suffers, and how each is dealt: services killed (and the time
until each answers again), the broker and PostgreSQL restarted, Telegram failing, a second
dispatch joining, and bad events on every topic (with a probe header to find them parked)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer

from shared.contracts import TOPICS
from shared.contracts.registry import EVENTS
from shared.settings import KafkaSettings
from tests.fault.own_postgres import OwnPostgres
from tests.support import (
    fetch,
)
from trc.deadletters.tool import DeadLetterReader, all_dead_letter_topics
from trc.embedded.broker import free_port
from trc.embedded.stack import Child, Stack

PROBE = "trc-fault-probe"


@dataclass
class Day:
    stack: Stack
    data_dir: Path
    ports: dict[str, int]
    databases: dict[str, str]
    telegram: str
    postgres: OwnPostgres | None = None  # the test's own server, which it restarts
    log: list[str] = field(default_factory=list)
    restarts: dict[str, list[float]] = field(default_factory=dict)  # seconds, kill → ready
    timers: list[threading.Thread] = field(default_factory=list)

    def child(self, name: str) -> Child:
        return next(c for c in self.stack.children if c.name == name)

    def note(self, what: str) -> None:
        self.log.append(f"{time.strftime('%H:%M:%S')} {what}")


def kill(day: Day, name: str) -> None:
    child = day.child(name)
    process = child.process
    if process is not None and process.poll() is None:
        killed = time.monotonic()
        os.kill(process.pid, signal.SIGKILL)
        day.note(f"SIGKILL {name}")
        timer = threading.Thread(target=_time_restart, args=(day, name, process, killed))
        timer.start()
        day.timers.append(timer)


def _time_restart(day: Day, name: str, process: subprocess.Popen[bytes], killed: float) -> None:
    """Seconds from the SIGKILL until the service answers /readyz 200 again."""
    process.wait()  # the old one no longer answers
    child = day.child(name)
    while child.process is process and time.monotonic() - killed < 60:
        time.sleep(0.05)
    restarted = time.monotonic() - killed
    answered, waiting_for = 0.0, ""
    while time.monotonic() - killed < 60:
        try:
            answer = httpx.get(f"{child.url}/readyz", timeout=1)
        except httpx.HTTPError:
            time.sleep(0.05)
            continue
        answered = answered or time.monotonic() - killed
        if answer.status_code == 200:
            break
        body = answer.json()
        waiting_for = ",".join(k for k in ("database", "broker", "relay") if body.get(k) != "ok")
        time.sleep(0.05)
    took = time.monotonic() - killed
    day.restarts.setdefault(name, []).append(took)
    day.note(f"{name} ready {took:.1f}s after its SIGKILL (restarted {restarted:.1f}s, "
             f"HTTP {answered:.1f}s{', then waited for ' + waiting_for if waiting_for else ''})")  # fmt: skip


def restart_broker(day: Day) -> None:
    assert day.stack.broker is not None
    day.stack.broker.kill()
    day.note("broker killed (log lost); the supervisor restarts it")


def restart_postgres(day: Day) -> None:
    """The test's own server restarted (fast shutdown: every connection cut, then refused while
    it starts), else every connection of the test databases cut, which the services see the same
    way."""
    if day.postgres is not None:
        day.postgres.restart()
        day.note("PostgreSQL restarted")
        return
    names = ", ".join(f"'{url.rsplit('/', 1)[1]}'" for url in day.databases.values())
    fetch(
        next(iter(day.databases.values())).rsplit("/", 1)[0] + "/postgres",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname IN ({names}) AND pid <> pg_backend_pid()",
    )
    day.note("PostgreSQL connections cut")


def telegram_storm(day: Day, status: int, count: int) -> None:
    httpx.post(
        f"{day.telegram}/_standin/faults", json={"status": status, "count": count, "retry_after": 1}
    ).raise_for_status()
    day.note(f"Telegram answers {status} to the next {count} sends")


def second_dispatch(day: Day) -> None:
    port = free_port()
    env = {**day.child("dispatch").env, "TRC_DISPATCH_HTTP_PORT": str(port)}
    command = [sys.executable, "-m", "services.dispatch", "serve"]
    log = day.stack.log_dir / "dispatch-2.log"
    child = Child("dispatch-2", port, log, env, command=command, standby=True)
    child.start()
    day.stack.children.append(child)
    day.note("a second dispatch joins the group (rebalance)")


def bad_events() -> list[tuple[str, bytes | None, bytes]]:
    """(topic, key, value): unreadable bytes, an envelope missing its payload's fields, and a
    version no reader knows — on every topic of the registry."""
    found: list[tuple[str, bytes | None, bytes]] = []
    for topic in TOPICS:
        example = next(e for e in EVENTS if e.topic == topic.name).example_envelope()
        broken = {**example, "event_id": str(uuid.uuid4()), "payload": {}}
        future = {**example, "event_id": str(uuid.uuid4()), "version": 99}
        found += [
            (topic.name, b"21.71", b"\x00\xffnot json at all"),
            (topic.name, b"21.71", json.dumps(broken).encode()),
            (topic.name, None, json.dumps(future).encode()),
        ]
    return found


async def inject(bootstrap: str, events: list[tuple[str, bytes | None, bytes]]) -> list[str]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=False)
    await producer.start()
    probes = []
    try:
        for topic, key, value in events:
            probe = uuid.uuid4().hex
            await producer.send_and_wait(topic, value, key=key, headers=[(PROBE, probe.encode())])
            probes.append(probe)
    finally:
        await producer.stop()
    return probes


async def parked(bootstrap: str) -> list[tuple[str, str, str]]:
    """(probe, consumer, reason) of every message in every dead-letter topic."""
    kafka = KafkaSettings(bootstrap=bootstrap)
    found = []
    async with DeadLetterReader(kafka) as reader:
        for topic in all_dead_letter_topics(kafka):
            if not await reader.partitions(topic):
                continue
            for letter in await reader.read_all(topic):
                probe = dict(letter.headers).get(PROBE, b"").decode()
                found.append((probe, letter.dlt("consumer"), letter.dlt("reason")))
    return found


