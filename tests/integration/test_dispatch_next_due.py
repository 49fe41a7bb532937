"""``next_due`` on a real (SQLite) database: the earliest instant from which ``due_regions``
finds a region — an acknowledgment deadline, a check-in, a shift boundary on the region's own
clock, nothing (None) — and, after a sweep that cannot place an incident, not a past instant
(the timer would otherwise look again at once, forever)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services.dispatch.domain.rules import DispatchRules
from services.dispatch.incidents.context import Ctx
from services.dispatch.incidents.sweep import due_regions, next_due, sweep_region
from services.dispatch.models import (
    TABLES,
    Assignment,
    Incident,
    RegionState,
    ShiftDefinition,
    Team,
)
from shared import db
from shared.messaging.outbox import OutboxSignal
from shared.messaging.tables import PLATFORM_TABLES
from shared.messaging.uow import UnitOfWork

REGION = "73.71"  # Kota Makassar, WITA (UTC+8)
T0 = datetime(2026, 11, 22, 0, 0, tzinfo=UTC)  # 08.00 WITA
NO_WARNING = timedelta(0)


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[db.SessionFactory]:
    engine = db.create_engine(f"sqlite:///{tmp_path / 'dispatch.db'}")
    await db.create_tables(engine, [*PLATFORM_TABLES, *TABLES])
    yield db.session_factory(engine)
    await engine.dispose()


async def _put(sessions: db.SessionFactory, *rows: object) -> None:
    async with sessions() as session:
        for row in rows:  # in the order given: a team and an incident before their assignment
            session.add(row)
            await session.flush()
        await session.commit()


async def _next(sessions: db.SessionFactory, warning: timedelta = NO_WARNING) -> datetime | None:
    async with sessions() as session:
        return await next_due(session, warning)


async def _due(sessions: db.SessionFactory, at: datetime, warning: timedelta = NO_WARNING) -> bool:
    async with sessions() as session:
        return bool(await due_regions(session, at, warning))


async def _agrees(sessions: db.SessionFactory, warning: timedelta = NO_WARNING) -> datetime:
    """next_due is where due_regions starts finding something: not a moment before."""
    due = await _next(sessions, warning)
    assert due is not None
    assert await _due(sessions, due, warning)
    if due > T0 - timedelta(days=1):
        assert not await _due(sessions, due - timedelta(microseconds=1), warning)
    return due


def _incident(n: int, state: str = "assigned", **fields: object) -> Incident:
    defaults: dict[str, object] = {"priority": "P2", "received_at": T0, "created_at": T0}
    return Incident(
        number=f"{REGION}-261122-{n:04d}",
        region_code=REGION,
        state=state,
        category="odgj_terlantar",
        channel="call_center",
        description="Pria dewasa bicara sendiri",
        **(defaults | fields),
    )


def _assignment(incident: Incident, team: Team, deadline: datetime, **fields: object) -> Assignment:
    return Assignment(
        incident_id=incident.id,
        region_code=REGION,
        team_id=team.id,
        assigned_by="policy",
        created_at=T0,
        ack_deadline=deadline,
        **({"state": "pending"} | fields),
    )


async def test_nothing_pending_is_none(sessions: db.SessionFactory) -> None:
    assert await _next(sessions) is None
    await _put(sessions, _incident(1, state="closed"))  # an incident with no timer running
    assert await _next(sessions) is None
    assert not await _due(sessions, T0 + timedelta(days=30))


async def test_an_acknowledgment_deadline_of_the_current_pending_assignment(
    sessions: db.SessionFactory,
) -> None:
    team = Team(region_code=REGION, code="A", name="Tim A")
    first, second = _incident(1), _incident(2)
    released = _assignment(first, team, T0, state="released", is_current=False)
    await _put(sessions, team, first, second, released)
    assert await _next(sessions) is None  # a released assignment has no deadline running
    await _put(sessions, _assignment(second, team, T0 + timedelta(minutes=5)))
    assert await _agrees(sessions) == T0 + timedelta(minutes=5)


async def test_a_check_in_and_its_escalation_of_a_team_on_scene(
    sessions: db.SessionFactory,
) -> None:
    not_on_scene = _incident(1, checkin_due_at=T0)  # left the scene: no check-in any more
    on_scene = _incident(2, state="on_scene", checkin_due_at=T0 + timedelta(minutes=30))
    await _put(sessions, not_on_scene, on_scene)
    assert await _agrees(sessions) == T0 + timedelta(minutes=30)
    answer_by = T0 + timedelta(minutes=10)
    await _put(sessions, _incident(3, state="on_scene", checkin_escalate_at=answer_by))
    assert await _agrees(sessions) == answer_by


async def test_a_shift_boundary_on_the_regions_own_clock(sessions: db.SessionFactory) -> None:
    await _put(
        sessions, ShiftDefinition(region_code=REGION, code="pagi", starts="07:00", ends="15:00")
    )
    never_checked = await _agrees(sessions)
    assert never_checked < T0  # due since always: the region's first look is at once
    await _put(sessions, RegionState(region_code=REGION, handovers_done_until=T0))
    assert await _agrees(sessions) == T0 + timedelta(hours=7)  # 15.00 WITA
    warning = timedelta(hours=2)  # a roster gap after 15.00 is told at 13.00 WITA
    assert await _agrees(sessions, warning) == T0 + timedelta(hours=5)


async def test_after_a_sweep_an_incident_no_team_can_take_is_not_due_until_its_reminder(
    sessions: db.SessionFactory,
) -> None:
    team = Team(region_code=REGION, code="A", name="Tim A")
    late = _incident(1)  # Tim A (not on duty: no roster) did not accept in time
    waiting = _incident(2, state="queued", priority="P1", remind_at=T0 - timedelta(seconds=1))
    await _put(sessions, team, late, waiting, _assignment(late, team, T0 - timedelta(seconds=2)))
    rules = DispatchRules()
    async with UnitOfWork(sessions, producer="dispatch", signal=OutboxSignal()) as uow:
        await sweep_region(Ctx(uow.session, uow.emit, T0, rules), REGION)
        await uow.commit()
    assert not await _due(sessions, T0)  # nothing left due: no look again at once
    due = await _agrees(sessions)
    assert T0 < due <= T0 + rules.deadlines.retry_missed  # Tim A's retry time, or a reminder
