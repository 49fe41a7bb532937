"""kill -9 of notify in the middle of a burst of assignments: afterwards no chat has any
assignment twice, and every assignment reached its chat — except one in flight at the very
moment of the kill, which is marked ``uncertain`` and reported to the supervisors, never sent
again (Telegram's sendMessage has no idempotency key)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from sqlmodel import select

from services.notify.app import create_app
from services.notify.models import Chat, Delivery, KnownTeam
from services.notify.settings import NotifySettings
from shared.contracts import make_envelope
from shared.platform import Platform
from shared.settings import KafkaSettings
from tests.integration.notify_support import REGION, assignment
from tests.integration.telegram_support import running_standin
from tests.support import Processes
from trc.embedded.broker import free_port

pytestmark = pytest.mark.integration
CHATS = [-3001, -3002, -3003, -3004, -3005]
PER_CHAT = 6


async def prepare(url: str) -> None:
    app = create_app(NotifySettings(database_url=url, kafka=KafkaSettings(bootstrap="127.0.0.1:1")))
    platform: Platform = app.state.platform
    await platform.migrate()
    async with platform.uow() as uow:
        for k, chat in enumerate(CHATS):
            team_id = f"team-{k}"
            uow.session.add(
                KnownTeam(
                    team_id=team_id, region_code=REGION, code=str(k), name=f"Tim {k}", chat_id=chat
                )
            )
            uow.session.add(Chat(chat_id=chat, region_code=REGION, purpose="team", team_id=team_id))
        uow.session.add(Chat(chat_id=-3999, region_code=REGION, purpose="supervisors"))
        await uow.commit()
    await platform.engine.dispose()


async def deliveries(url: str) -> list[Delivery]:
    app = create_app(NotifySettings(database_url=url, kafka=KafkaSettings(bootstrap="127.0.0.1:1")))
    platform: Platform = app.state.platform
    async with platform.sessions() as session:
        rows = list((await session.exec(select(Delivery))).all())
    await platform.engine.dispose()
    return rows


async def test_a_killed_notify_neither_doubles_nor_silently_drops_a_message(
    processes: Processes, new_database: Any, kafka_bootstrap: str, topic_prefix: str
) -> None:
    url = new_database("notify")
    await prepare(url)
    async with running_standin() as tg:
        for chat in [*CHATS, -3999]:
            await tg.control.post("/_standin/chats", json={"id": chat, "type": "group"})
        processes.env.update(
            TRC_NOTIFY_DATABASE_URL=url,
            TRC_NOTIFY_AUTO_MIGRATE="false",
            TRC_NOTIFY_TELEGRAM_STANDIN_URL=tg.url,
            TRC_AUTH_SECRET="n" * 48,
            TRC_NOTIFY_HTTP_PORT=str(free_port()),
        )
        first = processes.start("notify-1", "-m", "services.notify")
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        topic = KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=topic_prefix).topic(
            "trc.assignments.v1"
        )
        try:
            for m in range(PER_CHAT):
                for k in range(len(CHATS)):
                    payload = assignment(1000 + 10 * k + m, team_id=f"team-{k}")
                    envelope = make_envelope(
                        payload,
                        producer="dispatch",
                        region_code=REGION,
                        correlation_id=payload.incident_id,
                    )
                    await producer.send_and_wait(topic, envelope.to_bytes(), key=REGION.encode())
        finally:
            await producer.stop()
        for _ in range(600):  # until messages are flowing, then in the middle of it: SIGKILL
            if sum(len(c.messages) for c in tg.state.chats.values()) >= 8:
                break
            await asyncio.sleep(0.05)
        first.kill()
        processes.env["TRC_NOTIFY_HTTP_PORT"] = str(free_port())
        processes.start("notify-2", "-m", "services.notify")

        expected = len(CHATS) * PER_CHAT
        for _ in range(900):
            rows = [d for d in await deliveries(url) if d.purpose == "assignment"]
            if len(rows) == expected and all(d.state in ("sent", "uncertain") for d in rows):
                break
            await asyncio.sleep(0.1)
        by_state = {d.assignment_id: d.state for d in rows}
        seen = [
            m["text"].split("Nomor: ")[1].split("\n")[0]
            for chat in CHATS
            for m in tg.state.chats[chat].messages
            if "Nomor: " in m.get("text", "")
        ]
        uncertain = [a for a, state in by_state.items() if state == "uncertain"]
        for _ in range(300):  # the supervisors' chat, too, gets one message a second at most
            supervisors = [m["text"] for m in tg.state.chats[-3999].messages]
            if len(supervisors) >= len(uncertain):
                break
            await asyncio.sleep(0.1)
    assert len(by_state) == expected and set(by_state.values()) <= {"sent", "uncertain"}
    assert len(seen) == len(set(seen)), "an assignment reached its chat twice"
    assert len(uncertain) <= len(CHATS)  # at most what was in flight at the kill
    missing = {f"21.71-261122-{int(a.split('-')[1]):04d}" for a in by_state} - set(seen)
    assert missing <= {f"21.71-261122-{int(a.split('-')[1]):04d}" for a in uncertain}
    assert len(supervisors) == len(uncertain)  # each uncertain one reported
