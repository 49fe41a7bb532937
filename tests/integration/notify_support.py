"""Driving the notify service in tests: the Telegram stand-in on a real port, dispatch's events
fed onto the real broker, and what notify publishes read back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaProducer

from services.notify.app import create_app
from services.notify.settings import NotifySettings
from shared.contracts import make_envelope
from shared.contracts.events import AssignmentCreated, Location, Payload, TeamMemberRef, TeamUpdated
from shared.contracts.registry import event_spec_for
from shared.contracts.vocabulary import Channel, DangerFlag, Priority
from shared.platform import Platform
from shared.settings import KafkaSettings
from tests.integration.dispatch_support import Tail
from tests.integration.telegram_support import Telegram, running_standin

REGION = "21.71"
NOW = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)  # 20.00 WIB


@dataclass
class Notify:
    platform: Platform
    telegram: Telegram
    producer: AIOKafkaProducer
    tail: Tail
    app: Any

    async def publish(self, payload: Payload, key: str = "x") -> None:
        envelope = make_envelope(
            payload, producer="dispatch", region_code=REGION, correlation_id=key
        )
        topic = self.platform.settings.kafka.topic(event_spec_for(type(payload)).topic)
        await self.producer.send_and_wait(topic, envelope.to_bytes(), key=REGION.encode())

    async def say(self, chat_id: int, user_id: int, text: str) -> None:
        await self.telegram.control.post(
            "/_standin/say",
            json={
                "chat_id": chat_id,
                "user": {"id": user_id, "first_name": f"u{user_id}"},
                "text": text,
            },
        )

    async def messages(self, chat_id: int) -> list[dict[str, Any]]:
        return (await self.telegram.control.get(f"/_standin/chats/{chat_id}/messages")).json()  # type: ignore[no-any-return]

    async def bot_messages(
        self, chat_id: int, count: int, timeout: float = 30
    ) -> list[dict[str, Any]]:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            found = [m for m in await self.messages(chat_id) if m["from"]["is_bot"]]
            if len(found) >= count or asyncio.get_running_loop().time() > deadline:
                return found
            await asyncio.sleep(0.1)

    async def press(self, chat_id: int, message_id: int, user_id: int, data: str) -> dict[str, Any]:
        pressed = await self.telegram.control.post(
            "/_standin/press",
            json={
                "chat_id": chat_id,
                "message_id": message_id,
                "user": {"id": user_id, "first_name": f"u{user_id}"},
                "data": data,
            },
        )
        query = pressed.json()["callback_query_id"]
        for _ in range(200):
            answer = (await self.telegram.control.get(f"/_standin/answers/{query}")).json()
            if answer.get("answered"):
                return answer  # type: ignore[no-any-return]
            await asyncio.sleep(0.05)
        raise AssertionError("the callback query was never answered")


@asynccontextmanager
async def running_notify(
    kafka_bootstrap: str, topic_prefix: str, database_url: str, **settings: Any
) -> AsyncIterator[Notify]:
    async with running_standin() as telegram:
        kafka = KafkaSettings(
            bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, session_timeout_ms=6000
        )
        app = create_app(
            NotifySettings(
                database_url=database_url,
                kafka=kafka,
                telegram_standin_url=telegram.url,
                **settings,
            ),
        )
        platform: Platform = app.state.platform
        async with app.router.lifespan_context(app):
            for _ in range(300):
                if platform.connected and app.state.telegram.application.running:
                    break
                await asyncio.sleep(0.05)
            tail = Tail(kafka, ["trc.field-updates.v1", "trc.patrol-reports.v1", "trc.notify.v1"])
            task = asyncio.create_task(tail.run())
            producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap)
            await producer.start()
            try:
                yield Notify(platform, telegram, producer, tail, app)
            finally:
                await producer.stop()
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)


def team(
    team_id: str = "team-a", code: str = "A", members: tuple[int, ...] = (1001, 1002)
) -> TeamUpdated:
    return TeamUpdated(
        team_id=team_id,
        code=code,
        name=f"Tim {code}",
        members=[
            TeamMemberRef(
                member_id=f"m-{uid}",
                code=f"m{uid}",
                name=f"Anggota {uid}",
                role="member",
                telegram_user_id=uid,
            )
            for uid in members
        ],
    )


def assignment(
    n: int, team_id: str = "team-a", priority: Priority = Priority.P2
) -> AssignmentCreated:
    return AssignmentCreated(
        assignment_id=f"asg-{n}",
        incident_id=f"inc-{n}",
        team_id=team_id,
        priority=priority,
        category="odgj_terlantar",
        channel=Channel.CALL_CENTER,
        description="Pria dewasa bicara sendiri di depan ruko",
        location=Location(
            kecamatan="Lubuk Baja", kelurahan="Baloi Indah", latitude=1.1301, longitude=104.0529
        ),
        people_count=1,
        danger_flags=[DangerFlag.VIOLENCE],
        ack_deadline=NOW + timedelta(minutes=5),
        reasons=["zone match", "load 0/2"],
        incident_number=f"21.71-261122-{n:04d}",
        team_name="Tim A",
    )
