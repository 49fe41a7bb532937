"""Incidents with no team are never silent (the reminder and "no TRC team can go" use cases,
run against in-memory incidents): reminded at the priority's interval until a team holds
them or a supervisor records what was done instead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.dispatch.domain.deadlines import DEFAULT
from services.dispatch.incidents.manual_actions import ManualError
from services.dispatch.incidents.ports import DispatchUnit
from services.dispatch.incidents.unassigned import record_no_team, remind
from services.dispatch.models import Incident
from shared.contracts.events import IncidentEscalated, IncidentNoTeamRecorded
from shared.contracts.vocabulary import NoTeamAlternative
from tests.unit.dispatch.fakes import FakeUnit

NOW = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)
REGION = "21.71"


def incident(state: str = "queued", priority: str = "P1", **fields: Any) -> Incident:
    return Incident(
        number="21.71-261122-0001",
        region_code=REGION,
        state=state,
        priority=priority,
        category="korban_bencana_alam",
        channel="call_center",
        description="Banjir",
        received_at=NOW - timedelta(minutes=75),
        created_at=NOW,
        **fields,
    )


def unit_with(*incidents: Incident) -> FakeUnit:
    unit = FakeUnit(now=NOW)
    unit.incidents.put(*incidents)
    return unit


def test_the_fake_unit_is_a_dispatch_unit() -> None:
    unit: DispatchUnit = FakeUnit(now=NOW)
    assert unit.now == NOW


async def test_a_queued_incident_whose_reminder_is_due_is_told_again_and_reminded_later() -> None:
    waiting = incident(remind_at=NOW - timedelta(seconds=1))
    unit = unit_with(waiting)
    await remind(unit, REGION)
    [told] = unit.published
    assert isinstance(told, IncidentEscalated)
    assert (told.kind, told.level, told.incident_id) == ("unassigned", 1, waiting.id)
    assert "1 jam 15 menit" in told.detail and "1 h 15 min" in told.detail
    assert waiting.remind_at == DEFAULT.next_reminder("P1", NOW)
    assert [kind for _, kind, _ in unit.notes] == ["escalation"]


async def test_a_reminder_not_yet_due_says_nothing() -> None:
    later = incident(remind_at=NOW + timedelta(seconds=1))
    unit = unit_with(later)
    await remind(unit, REGION)
    assert unit.published == []
    assert later.remind_at == NOW + timedelta(seconds=1)


async def test_an_incident_a_team_holds_now_stops_being_reminded() -> None:
    held = incident(state="assigned", remind_at=NOW - timedelta(seconds=1))
    unit = unit_with(held)
    await remind(unit, REGION)
    assert (unit.published, held.remind_at) == ([], None)


async def test_a_passed_retry_time_is_forgotten_without_a_reminder() -> None:
    missed = incident(retry_missed_at=NOW - timedelta(seconds=1))
    unit = unit_with(missed)
    await remind(unit, REGION)
    assert (unit.published, missed.retry_missed_at) == ([], None)


async def test_another_regions_incident_is_not_reminded_here() -> None:
    elsewhere = incident(remind_at=NOW - timedelta(seconds=1))
    elsewhere.region_code = "21.01"
    unit = unit_with(elsewhere)
    await remind(unit, REGION)
    assert unit.published == []


async def test_no_team_recorded_stops_the_reminders_and_is_announced() -> None:
    waiting = incident(remind_at=NOW + timedelta(minutes=1))
    unit = unit_with(waiting)
    alternative = NoTeamAlternative.POLICE
    await record_no_team(unit, REGION, waiting.id, alternative, "sari", "polisi sudah ke lokasi")
    assert unit.incidents.locked == [REGION]
    assert (waiting.no_team_alternative, waiting.no_team_at, waiting.remind_at) == (
        alternative.value,
        NOW,
        None,
    )
    [recorded] = unit.published
    assert isinstance(recorded, IncidentNoTeamRecorded)
    assert (recorded.actor, recorded.alternative) == ("sari", alternative)
    [(_, kind, detail)] = unit.notes
    assert (kind, detail["action"], detail["alternative"]) == ("manual", "no_team", "police")


async def test_no_team_is_refused_for_an_incident_a_team_holds() -> None:
    held = incident(state="assigned")
    unit = unit_with(held)
    with pytest.raises(ManualError, match="has a team or is over"):
        await record_no_team(unit, REGION, held.id, NoTeamAlternative.OTHER, "sari", "sudah")
    assert (unit.published, held.no_team_at) == ([], None)


async def test_no_team_is_refused_for_an_incident_of_another_region() -> None:
    unit = unit_with(incident())
    with pytest.raises(ManualError, match="no such incident"):
        await record_no_team(unit, "21.01", "nope", NoTeamAlternative.OTHER, "sari", "sudah")
