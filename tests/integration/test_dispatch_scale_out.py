"""One writer per region, shown with real processes: dispatch instances in one consumer group,
fed a burst of reports for several regions while a third joins and one is killed with SIGKILL
(two rebalances), never assign a team beyond its capacity nor an incident twice, and afterwards
every report has its incident and every incident that can be assigned has exactly one current
assignment."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import func
from sqlmodel import col, select

from services.dispatch.app import create_app
from services.dispatch.domain.sheets import RosterRow, TeamRow
from services.dispatch.models import Assignment, Incident, ReportLink, Team
from services.dispatch.roster.writes import save_roster, save_shifts, save_teams
from services.dispatch.settings import DispatchSettings
from shared.contracts import make_envelope
from shared.contracts.events import Location, ReportReceived
from shared.contracts.vocabulary import Channel, Priority
from shared.platform import Platform
from shared.settings import KafkaSettings
from tests.support import Processes
from trc.embedded.broker import free_port

pytestmark = pytest.mark.integration
REGIONS = ["21.71", "73.71", "64.72", "31.71"]  # Batam (WIB), Makassar, Samarinda (WITA), Jakarta
CAPACITIES = [4, 3, 3]  # ten incidents at a time per region
PER_REGION = 12  # two more than the teams can hold: they must wait, not overload a team


async def prepare(url: str) -> None:
    app = create_app(
        DispatchSettings(database_url=url, kafka=KafkaSettings(bootstrap="127.0.0.1:1"))
    )
    platform: Platform = app.state.platform
    await platform.migrate()
    today = datetime.now(UTC).date()
    async with platform.sessions() as session:
        for region in REGIONS:
            await save_shifts(session, region, [("harian", "00:00", "00:00")])  # 24 h duty
            teams = [TeamRow(n, f"T{n}", f"Tim {n}", cap, ()) for n, cap in enumerate(CAPACITIES)]
            await save_teams(session, region, teams)
            days = [today + timedelta(days=d) for d in (-1, 0, 1)]
            rows = [RosterRow(1, day, "harian", t.code) for day in days for t in teams]
            await save_roster(session, region, rows, replace_days=True)
        await session.commit()
    await platform.engine.dispose()


def burst() -> list[tuple[str, ReportReceived]]:
    return [
        (
            region,
            ReportReceived(
                report_id=f"{region}-{n}",
                channel=Channel.CALL_CENTER,
                category="gelandangan",
                priority=Priority.P3,
                description="Orang tidur di emperan toko",
                location=Location(kecamatan="Kecamatan"),
                received_at=datetime.now(UTC),
            ),
        )
        for n in range(PER_REGION)
        for region in REGIONS
    ]


async def snapshot(url: str) -> dict[str, Any]:
    app = create_app(
        DispatchSettings(database_url=url, kafka=KafkaSettings(bootstrap="127.0.0.1:1"))
    )
    platform: Platform = app.state.platform
    async with platform.sessions() as session:
        links = (await session.exec(select(func.count()).select_from(ReportLink))).one()
        incidents = (await session.exec(select(Incident))).all()
        holding = (
            await session.exec(
                select(Assignment.team_id, func.count())
                .where(
                    col(Assignment.is_current),
                    col(Assignment.state).in_(["pending", "acknowledged"]),
                )
                .group_by(Assignment.team_id)
            )
        ).all()
        per_incident = (
            await session.exec(
                select(Assignment.incident_id, func.count())
                .where(col(Assignment.is_current))
                .group_by(Assignment.incident_id)
            )
        ).all()
        capacity = {t.id: t.capacity for t in (await session.exec(select(Team))).all()}
    await platform.engine.dispose()
    return {
        "links": links,
        "incidents": incidents,
        "holding": holding,
        "per_incident": per_incident,
        "capacity": capacity,
    }


async def test_two_instances_and_a_rebalance_never_overload_a_team_nor_assign_twice(
    processes: Processes, new_database: Any, kafka_bootstrap: str, topic_prefix: str
) -> None:
    url = new_database("dispatch")
    await prepare(url)
    processes.env.update(
        TRC_DISPATCH_DATABASE_URL=url,
        TRC_DISPATCH_AUTO_MIGRATE="false",
        TRC_AUTH_SECRET="s" * 48,
    )

    def instance(name: str) -> Any:
        processes.env["TRC_DISPATCH_HTTP_PORT"] = str(free_port())
        return processes.start(name, "-m", "services.dispatch")

    first, second = instance("dispatch-1"), instance("dispatch-2")
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    topic = KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=topic_prefix).topic(
        "trc.reports.v1"
    )
    try:
        for n, (region, report) in enumerate(burst()):
            envelope = make_envelope(
                report, producer="intake", region_code=region, correlation_id=report.report_id
            )
            await producer.send_and_wait(topic, envelope.to_bytes(), key=region.encode())
            if n == 12:
                instance("dispatch-3")  # a third joins: partitions move
            if n == 30:
                first.kill()  # SIGKILL mid-burst: its partitions move again
            await asyncio.sleep(0.05)
    finally:
        await producer.stop()

    expected = len(REGIONS) * PER_REGION
    deadline = asyncio.get_running_loop().time() + 90
    while True:
        state = await snapshot(url)
        assigned = sum(1 for i in state["incidents"] if i.state == "assigned")
        if state["links"] == expected and assigned == len(REGIONS) * sum(CAPACITIES):
            break
        assert asyncio.get_running_loop().time() < deadline, (
            state["links"],
            assigned,
            second.output()[-3000:],
        )
        await asyncio.sleep(0.5)
    await asyncio.sleep(2)  # anything still redelivered after the rebalances lands now
    state = await snapshot(url)

    assert state["links"] == expected and len(state["incidents"]) == expected  # one per report
    assert all(count == 1 for _, count in state["per_incident"])  # never assigned twice
    for team_id, count in state["holding"]:
        assert count <= state["capacity"][team_id], "a team beyond its capacity"
    by_state: dict[str, int] = {}
    for incident in state["incidents"]:
        by_state[incident.state] = by_state.get(incident.state, 0) + 1
    assert by_state == {"assigned": len(REGIONS) * sum(CAPACITIES), "queued": len(REGIONS) * 2}
    numbers = [i.number for i in state["incidents"]]
    assert len(set(numbers)) == len(numbers)
