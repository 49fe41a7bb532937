"""Driving the dispatch service in tests: a clock to move by hand, a region set up over the
API, events fed in and read back from the real broker."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from services.dispatch.app import create_app
from services.dispatch.settings import DispatchSettings
from shared.auth import AuthSettings, Role
from shared.contracts import make_envelope
from shared.contracts.events import FieldUpdate, Location, Payload, ReportReceived
from shared.contracts.registry import event_spec_for
from shared.contracts.vocabulary import Channel, FieldAction, Priority
from shared.platform import Platform
from shared.settings import KafkaSettings
from tests.support import staff_headers

AUTH = AuthSettings(secret="d" * 48)
REGION = "21.71"
PAGI = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 10.00 WIB, the morning shift


@dataclass
class ManualClock:
    now: datetime = PAGI

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Tail:
    """Every event on the given topics, as dicts, from the start."""

    kafka: KafkaSettings
    topics: list[str]
    events: list[dict[str, Any]] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        consumer = AIOKafkaConsumer(
            *[self.kafka.topic(t) for t in self.topics],
            bootstrap_servers=self.kafka.bootstrap,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            metadata_max_age_ms=1000,
        )
        await consumer.start()
        try:
            while True:
                for records in (await consumer.getmany(timeout_ms=100)).values():
                    self.events.extend(json.loads(r.value) for r in records)
        finally:
            await consumer.stop()

    def of(self, event_type: str, **fields: Any) -> list[dict[str, Any]]:
        """The payloads of ``event_type`` seen so far, those with ``fields`` (e.g. kind=…) only."""
        return [
            e["payload"]
            for e in self.events
            if e["event_type"] == event_type
            and all(e["payload"].get(k) == v for k, v in fields.items())
        ]

    async def wait(
        self, event_type: str, count: int = 1, timeout: float = 30, **fields: Any
    ) -> list[dict[str, Any]]:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            if len(found := self.of(event_type, **fields)) >= count:
                return found
            await asyncio.sleep(0.02)
        raise AssertionError(
            f"{count} × {event_type} {fields or ''} not seen; "
            f"saw {[e['event_type'] for e in self.events]}"
        )


@dataclass
class Dispatch:
    platform: Platform
    client: httpx.AsyncClient
    clock: ManualClock
    tail: Tail
    producer: AIOKafkaProducer

    async def publish(self, payload: Payload, region: str = REGION, key: str | None = None) -> None:
        envelope = make_envelope(
            payload, producer="test", region_code=region, correlation_id=key or region
        )
        topic = self.platform.settings.kafka.topic(event_spec_for(type(payload)).topic)
        await self.producer.send_and_wait(topic, envelope.to_bytes(), key=region.encode())

    async def api(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = staff_headers(AUTH, Role.SUPERVISOR, REGION)
        response = await self.client.request(method, path, headers=headers, **kwargs)
        assert response.status_code < 300, response.text
        return response.json()


@asynccontextmanager
async def running_dispatch(
    kafka_bootstrap: str, topic_prefix: str, database_url: str, **settings: Any
) -> AsyncIterator[Dispatch]:
    kafka = KafkaSettings(
        bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, session_timeout_ms=6000
    )
    clock = ManualClock()
    app = create_app(
        DispatchSettings(
            database_url=database_url,
            kafka=kafka,
            auth=AUTH,
            # The clock is moved by hand, which rings nothing: the timer looks every 0.1 s.
            **({"sweep_seconds": 0.1, "timer_cap_seconds": 0.1} | settings),
        ),
        clock=clock,
    )
    platform: Platform = app.state.platform
    async with app.router.lifespan_context(app):
        for _ in range(300):
            if platform.connected:
                break
            await asyncio.sleep(0.05)
        tail = Tail(kafka, ["trc.assignments.v1", "trc.incidents.v1", "trc.teams.v1"])
        task = asyncio.create_task(tail.run())
        producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap)
        await producer.start()
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://dispatch") as client:
                yield Dispatch(platform, client, clock, tail, producer)
        finally:
            await producer.stop()
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


async def set_up_batam(d: Dispatch, roster: list[dict[str, str]]) -> dict[str, str]:
    """Shifts pagi/siang/malam, three teams, a member each; returns team code → id."""
    await d.api("PUT", f"/api/v1/regions/{REGION}/shifts", json=[
        {"code": "pagi", "starts": "07:00", "ends": "15:00"},
        {"code": "siang", "starts": "15:00", "ends": "23:00"},
        {"code": "malam", "starts": "23:00", "ends": "07:00"},
    ])  # fmt: skip
    teams = await d.api("POST", f"/api/v1/regions/{REGION}/teams", json=[
        {"code": "A", "name": "Tim A Lubuk Baja", "capacity": 2, "zones": ["Lubuk Baja"]},
        {"code": "B", "name": "Tim B Batam Kota", "capacity": 1, "zones": ["Batam Kota"]},
        {"code": "C", "name": "Tim C Sekupang", "capacity": 2, "zones": ["Sekupang"]},
    ])  # fmt: skip
    await d.api("POST", f"/api/v1/regions/{REGION}/members", json=[
        {"code": "m-a", "name": "Anggota A", "role": "leader", "telegram_user_id": 1001, "teams": ["A"]},
        {"code": "m-b", "name": "Anggota B", "role": "leader", "telegram_user_id": 1002, "teams": ["B"]},
        {"code": "m-c", "name": "Anggota C", "kind": "bko", "telegram_user_id": 1003, "teams": ["C"]},
    ])  # fmt: skip
    await d.api("POST", f"/api/v1/regions/{REGION}/roster", json=roster)
    return {t["code"]: t["team_id"] for t in teams}


def report(
    n: int, *, priority: Priority = Priority.P2, kecamatan: str = "Lubuk Baja", **extra: Any
) -> ReportReceived:
    fields: dict[str, Any] = {
        "report_id": f"rep-{n:04d}",
        "channel": Channel.CALL_CENTER,
        "category": "odgj_terlantar",
        "priority": priority,
        "description": "Pria dewasa bicara sendiri di depan ruko",
        "location": Location(kecamatan=kecamatan),
        "people_count": 1,
        "received_at": PAGI,
    } | extra
    return ReportReceived(**fields)


def press(
    assignment: dict[str, Any], action: FieldAction, telegram_id: int, update_id: int
) -> FieldUpdate:
    return FieldUpdate(
        assignment_id=assignment["assignment_id"],
        incident_id=assignment["incident_id"],
        action=action,
        member_telegram_id=telegram_id,
        telegram_update_id=update_id,
        pressed_at=PAGI,
    )


Predicate = Callable[[dict[str, Any]], bool]
