"""Reassignment latency for ``python -m bench dispatch``: a busy team frees up (its outcome press
is on the field-updates topic, as notify's relay publishes it) → the next queued incident is
offered to it (its assignment committed with ``assignment.created`` in dispatch's outbox — the
same transaction that applies the press). One region, every team full, one incident queued."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer
from sqlmodel import col, func, select

from services.dispatch.models import Assignment, Incident, Member, Team, TeamMember
from shared.contracts import make_envelope
from shared.contracts.events import FieldUpdate, Location, Payload, ReportReceived
from shared.contracts.vocabulary import Channel, FieldAction, Priority
from shared.platform import Platform
from shared.settings import KafkaSettings

TELEGRAM_BASE = 7_000_000


async def _count(platform: Platform, *where: object) -> int:
    async with platform.sessions() as session:
        query = select(func.count()).select_from(Incident).where(*where)  # type: ignore[arg-type]
        return int((await session.exec(query)).one())


async def _until(platform: Platform, target: int, *where: object) -> None:
    while await _count(platform, *where) < target:
        await asyncio.sleep(0.001)


class Reassign:
    def __init__(self, platform: Platform, kafka: KafkaSettings, producer: AIOKafkaProducer, region: str) -> None:  # fmt: skip
        self.platform, self.kafka, self.producer, self.region = platform, kafka, producer, region
        self.sent = 0
        self.members: dict[str, int] = {}  # team id → a member's Telegram id

    async def send(self, payload: Payload, topic: str) -> None:
        envelope = make_envelope(payload, producer="bench", region_code=self.region,
                                 correlation_id=self.region)  # fmt: skip
        await self.producer.send_and_wait(
            self.kafka.topic(topic), envelope.to_bytes(), key=self.region.encode()
        )

    async def report(self) -> None:
        """A P3 (never a P1, which would borrow a busy team instead of waiting)."""
        self.sent += 1
        await self.send(ReportReceived(
            report_id=f"rs-{uuid.uuid4().hex}", channel=Channel.CALL_CENTER,
            category="gelandangan", priority=Priority.P3, description="Orang tidur di emperan toko",
            location=Location(kecamatan="Kecamatan 0"), received_at=datetime.now(UTC),
        ), "trc.reports.v1")  # fmt: skip
        await _until(self.platform, self.sent, Incident.region_code == self.region)

    async def press(self, assignment: Assignment, action: FieldAction) -> None:
        await self.send(FieldUpdate(
            assignment_id=assignment.id, incident_id=assignment.incident_id, action=action,
            member_telegram_id=self.members[assignment.team_id],
            telegram_update_id=int(time.time_ns() % 2**31), pressed_at=datetime.now(UTC),
        ), "trc.field-updates.v1")  # fmt: skip

    async def members_for_teams(self) -> None:
        async with self.platform.sessions() as session:
            teams = (await session.exec(select(Team).where(Team.region_code == self.region))).all()
            for n, team in enumerate(teams):
                member = Member(region_code=self.region, code=f"bench-{n}", name=f"Anggota {n}",
                                telegram_user_id=TELEGRAM_BASE + n)  # fmt: skip
                session.add(member)
                await session.flush()
                session.add(TeamMember(team_id=team.id, member_id=member.id))
                self.members[team.id] = TELEGRAM_BASE + n
            capacity = sum(t.capacity for t in teams)
            await session.commit()
        held = await _count(self.platform, Incident.region_code == self.region,
                            col(Incident.team_id).is_not(None))  # fmt: skip
        self.sent = await _count(self.platform, Incident.region_code == self.region)
        for _ in range(capacity - held):
            await self.report()

    async def a_held_assignment(self) -> Assignment:
        async with self.platform.sessions() as session:
            query = select(Assignment).where(
                Assignment.region_code == self.region, col(Assignment.is_current),
                Assignment.state == "pending",
            ).order_by(col(Assignment.created_at))  # fmt: skip
            found = (await session.exec(query)).first()
        assert found is not None, "every team of the region should be full"
        return found

    async def once(self) -> float:
        """Queue one incident, free the team of the oldest pending assignment, time the offer."""
        await self.report()  # queued: every team is full
        busy = await self.a_held_assignment()
        await self.press(busy, FieldAction.ON_SCENE)
        await _until(self.platform, 1, Incident.id == busy.incident_id,
                     Incident.state == "on_scene")  # fmt: skip
        waiting = [Incident.region_code == self.region, col(Incident.assigned_at).is_(None)]
        started = time.perf_counter()
        await self.press(busy, FieldAction.SECURED)
        while await _count(self.platform, *waiting) > 0:
            await asyncio.sleep(0.001)
        return (time.perf_counter() - started) * 1000


async def reassign_latencies(
    platform: Platform, kafka: KafkaSettings, producer: AIOKafkaProducer, region: str, samples: int
) -> list[float]:
    run = Reassign(platform, kafka, producer, region)
    await run.members_for_teams()
    return [await run.once() for _ in range(samples)]
