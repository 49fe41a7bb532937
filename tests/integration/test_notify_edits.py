"""The delivery log spends a group's budget on what the team needs: an assignment's life queues
its message, then an edit only when accepted and when finished or released; a change while the
message or an edit of it is still pending folds into that row (the sender renders the latest
when it sends) — unless the row is already being sent, then it gets its own edit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import col, select

from services.notify import projections as p
from services.notify.app import create_app
from services.notify.models import AssignmentMessage, Chat, Delivery, KnownTeam
from services.notify.settings import NotifySettings
from shared.contracts.events import (
    AssignmentAcknowledged,
    AssignmentReleased,
    IncidentStatusChanged,
)
from shared.contracts.vocabulary import IncidentState, Priority
from shared.platform import Platform
from shared.settings import KafkaSettings
from tests.integration.notify_support import REGION, assignment

pytestmark = pytest.mark.integration
GROUP = -4001
NOW = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)


async def notify(url: str) -> Platform:
    app = create_app(NotifySettings(database_url=url, kafka=KafkaSettings(bootstrap="127.0.0.1:1")))
    platform: Platform = app.state.platform
    await platform.migrate()
    async with platform.uow() as uow:
        uow.session.add(KnownTeam(team_id="team-a", region_code=REGION, code="A", name="Tim A",
                                  chat_id=GROUP))  # fmt: skip
        uow.session.add(Chat(chat_id=GROUP, region_code=REGION, purpose="team", team_id="team-a"))
        await uow.commit()
    return platform


def status(
    to: IncidentState, n: int = 1, priority: Priority = Priority.P2
) -> IncidentStatusChanged:
    return IncidentStatusChanged(incident_id=f"inc-{n}", from_state=IncidentState.ACKNOWLEDGED,
                                 to_state=to, changed_at=NOW, actor="member:m-1001",
                                 category="odgj_terlantar", people_count=1, priority=priority)  # fmt: skip


def acknowledged(n: int = 1) -> AssignmentAcknowledged:
    return AssignmentAcknowledged(assignment_id=f"asg-{n}", incident_id=f"inc-{n}",
                                  team_id="team-a", member_id="m-1001", acknowledged_at=NOW)  # fmt: skip


async def handle(platform: Platform, event_id: str, use: Any, payload: Any) -> None:
    async with platform.uow() as uow:
        if use is p.on_assignment:
            await use(uow.session, event_id, REGION, payload, NOW, "id", False)
        else:
            await use(uow.session, event_id, payload, NOW, "id")
        await uow.commit()


async def rows(platform: Platform) -> list[Delivery]:
    async with platform.sessions() as session:
        query = select(Delivery).order_by(col(Delivery.created_at), col(Delivery.id))
        return list((await session.exec(query)).all())


async def mark(
    platform: Platform, delivery_id: str, state: str, message_id: int | None = None
) -> None:
    async with platform.uow() as uow:
        row = await uow.session.get(Delivery, delivery_id)
        assert row is not None
        row.state = state
        if message_id is not None:  # the assignment message arrived: edits may follow
            message = await uow.session.get(AssignmentMessage, (row.assignment_id, GROUP))
            assert message is not None
            message.message_id = row.message_id = message_id
        await uow.commit()


async def test_only_acceptance_and_the_end_edit_and_a_pending_edit_is_superseded(
    new_database: Any,
) -> None:
    platform = await notify(new_database("notify"))
    try:
        await handle(platform, "e1", p.on_assignment, assignment(1))
        [send] = await rows(platform)
        await mark(platform, send.id, "sent", message_id=70)  # the group has the message
        await handle(platform, "e2", p.on_acknowledged, acknowledged())
        [_, edit] = await rows(platform)
        assert (edit.method, edit.state, edit.priority) == ("editMessageText", "pending", 3)
        await handle(platform, "e3", p.on_status, status(IncidentState.EN_ROUTE))
        await handle(platform, "e4", p.on_status, status(IncidentState.ON_SCENE))
        assert len(await rows(platform)) == 2  # intermediate states queue nothing
        await handle(
            platform, "e5", p.on_status, status(IncidentState.SECURED, priority=Priority.P1)
        )
        [_, superseded] = await rows(platform)  # the pending edit carries it: one call, not two
        assert (superseded.id, superseded.state, superseded.priority) == (edit.id, "pending", 1)
        async with platform.sessions() as session:
            message = await session.get(AssignmentMessage, ("asg-1", GROUP))
        assert message is not None and not message.open and "Diamankan" in message.status
    finally:
        await platform.engine.dispose()


async def test_a_change_before_the_message_went_rides_on_it_and_one_being_sent_gets_an_edit(
    new_database: Any,
) -> None:
    platform = await notify(new_database("notify"))
    try:
        await handle(platform, "e1", p.on_assignment, assignment(2))
        await handle(platform, "e2", p.on_acknowledged, acknowledged(2))
        [send] = await rows(platform)  # not sent yet: it will go showing the acceptance
        assert (send.method, send.state) == ("sendMessage", "pending")
        await mark(platform, send.id, "sending")  # the sender has claimed it: it may be older
        released = AssignmentReleased(assignment_id="asg-2", incident_id="inc-2", team_id="team-a",
                                      reason="reassigned", released_at=NOW)  # fmt: skip
        await handle(platform, "e3", p.on_released, released)
        assert [(r.purpose, r.state) for r in await rows(platform)] == [
            ("assignment", "sending"),
            ("edit", "pending"),  # its own edit: the latest text is never lost
            ("notice", "pending"),  # told after the edit, as before: the chat's order kept
        ]
    finally:
        await platform.engine.dispose()
