"""No incident without a team is ever silent (real broker, both databases, a clock moved by
hand): a P1 every on-duty team let time out is a breach on the board from the first second,
the supervisors hear of it at once and again at the P1 interval, and the next team that frees
up has it within two seconds; a supervisor's "no TRC team can go" stops the reminders."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from shared.contracts.vocabulary import FieldAction, Priority
from tests.integration.dispatch_support import (
    REGION,
    Dispatch,
    press,
    report,
    running_dispatch,
    set_up_batam,
)

pytestmark = pytest.mark.integration
TODAY = "2026-11-22"
BOARD = f"/api/v1/console/board?region={REGION}"


@pytest.fixture
async def dispatch(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> AsyncIterator[Dispatch]:
    database = new_database("dispatch")
    async with running_dispatch(kafka_bootstrap, topic_prefix, database, remind_p1_seconds=2) as d:
        yield d


def reminders(d: Dispatch) -> list[dict[str, Any]]:
    return d.tail.of("incident.escalated", kind="unassigned")


async def reminded(d: Dispatch, count: int) -> list[dict[str, Any]]:
    return await d.tail.wait("incident.escalated", count, kind="unassigned")


async def committed_as(d: Dispatch, incident_id: str, state: str) -> None:
    """Until the incident's move to ``state`` is on the topic, i.e. its transaction committed."""
    await d.tail.wait("incident.status_changed", incident_id=incident_id, to_state=state)


async def every_team_lets_a_p1_time_out(d: Dispatch, misses: int) -> str:
    await d.publish(report(1, priority=Priority.P1))
    for miss in range(1, misses + 1):
        await d.tail.wait("assignment.created", miss)
        d.clock.advance(seconds=121)
        await d.tail.wait("assignment.timed_out", miss)
    incident_id: str = d.tail.of("assignment.created")[0]["incident_id"]
    return incident_id


async def board_row(d: Dispatch, incident_id: str) -> dict[str, Any]:
    rows = (await d.api("GET", BOARD))["incidents"]
    row: dict[str, Any] = next(r for r in rows if r["incident_id"] == incident_id)
    return row


async def test_a_p1_every_team_let_time_out_is_a_breach_reminded_of_until_a_team_frees_up(
    dispatch: Dispatch,
) -> None:
    d = dispatch
    teams = await set_up_batam(d, [
        {"day": TODAY, "shift": "pagi", "team_code": code} for code in ("A", "B", "C")
    ])  # fmt: skip
    # team B (capacity 1) is busy with another P1 (so never borrowed for this one)
    await d.publish(report(0, priority=Priority.P1, kecamatan="Batam Kota"))
    [busy] = await d.tail.wait("assignment.created")
    assert busy["team_id"] == teams["B"]
    await d.publish(press(busy, FieldAction.ACCEPT, 1002, 1))
    await d.tail.wait("assignment.acknowledged")
    d.tail.events = [e for e in d.tail.events if e["event_type"] != "assignment.created"]

    incident_id = await every_team_lets_a_p1_time_out(d, misses=2)  # A, then C
    [first] = await reminded(d, 1)  # a P1 left with no team: at once, the clock has not moved
    row = await board_row(d, incident_id)
    assert (row["state"], row["priority"], row["breaches"]) == ("queued", "P1", ["no_team"])
    assert first["incident_id"] == incident_id and first["priority"] == "P1"
    assert "belum ada tim yang menuju lokasi" in first["detail"]
    assert "4 min since the report" in first["detail"]

    d.clock.advance(seconds=1)
    await asyncio.sleep(0.3)  # a few sweeps: the next one waits for the P1 interval (2 s here)
    assert len(reminders(d)) == 1
    d.clock.advance(seconds=1)
    await reminded(d, 2)
    d.clock.advance(seconds=1)
    await asyncio.sleep(0.3)  # a few sweeps: not yet
    assert len(reminders(d)) == 2
    d.clock.advance(seconds=1)
    await reminded(d, 3)

    # Team B finishes its work: the P1 is offered to it by the press that frees it, not by a
    # later sweep — measured from the moment that press is committed (B's "secured" is on the
    # topic), so a slow broker or a loaded machine before the commit does not count.
    await d.publish(press(busy, FieldAction.ON_SCENE, 1002, 2))
    await d.publish(press(busy, FieldAction.SECURED, 1002, 3))
    await committed_as(d, busy["incident_id"], "secured")
    freed = asyncio.get_running_loop().time()
    offered = [
        a for a in await d.tail.wait("assignment.created", 3) if a["incident_id"] == incident_id
    ][-1]
    assert asyncio.get_running_loop().time() - freed < 2
    assert offered["team_id"] == teams["B"]
    assert (await board_row(d, incident_id))["breaches"] == []
    d.clock.advance(seconds=10)
    await asyncio.sleep(0.3)
    assert len(reminders(d)) == 3  # it has a team: no more reminders


async def test_no_team_can_go_stops_the_reminders_and_is_counted(dispatch: Dispatch) -> None:
    d = dispatch
    await set_up_batam(d, [{"day": TODAY, "shift": "pagi", "team_code": "A"}])
    incident_id = await every_team_lets_a_p1_time_out(d, misses=1)
    await reminded(d, 1)  # at once

    answer = await d.api(
        "POST",
        f"/api/v1/incidents/{incident_id}/no-team",
        json={"alternative": "police", "reason": "Semua tim jauh; Polsek mengamankan"},
    )
    assert (answer["state"], answer["no_team_alternative"]) == ("queued", "police")
    [recorded] = await d.tail.wait("incident.no_team_recorded")
    assert (recorded["alternative"], recorded["actor"]) == ("police", "sari")
    row = await board_row(d, incident_id)
    assert (row["breaches"], row["no_team_alternative"]) == ([], "police")

    d.clock.advance(seconds=90)  # past several intervals, and past team A's retry time
    await asyncio.sleep(0.5)
    assert len(reminders(d)) == 1
    assert len(d.tail.of("assignment.created")) == 1  # not offered to team A again by itself
    detail = await d.api("GET", f"/api/v1/incidents/{incident_id}")
    [audit] = [e for e in detail["timeline"] if e["kind"] == "manual"]
    assert audit["detail"] == {
        "action": "no_team",
        "reason": "Semua tim jauh; Polsek mengamankan",
        "alternative": "police",
    }
    figures = await d.api("GET", f"/api/v1/console/figures?region={REGION}&period=today")
    assert figures["no_team"] == {"police": 1}


async def test_a_team_that_missed_it_is_the_last_resort_a_minute_later(dispatch: Dispatch) -> None:
    d = dispatch
    teams = await set_up_batam(d, [{"day": TODAY, "shift": "pagi", "team_code": "A"}])
    await every_team_lets_a_p1_time_out(d, misses=1)
    d.clock.advance(seconds=59)
    await asyncio.sleep(0.3)
    assert len(d.tail.of("assignment.created")) == 1  # no ping-pong with the team that missed
    d.clock.advance(seconds=1)
    again = (await d.tail.wait("assignment.created", 2))[1]
    assert again["team_id"] == teams["A"]
    assert "last resort: missed it before, no other team has room" in again["reasons"]


async def test_only_a_p1_with_no_free_team_is_told_to_the_supervisors_at_once(
    dispatch: Dispatch,
) -> None:
    d = dispatch
    await set_up_batam(d, [{"day": TODAY, "shift": "pagi", "team_code": "B"}])  # capacity 1
    await d.publish(report(0, priority=Priority.P1, kecamatan="Batam Kota"))
    await d.tail.wait("assignment.created")  # team B is busy with a P1 (never borrowed from)
    await d.publish(report(1, priority=Priority.P2))
    await d.publish(report(2, priority=Priority.P1))
    [told] = await reminded(d, 1)  # the clock has not moved: at once, not 2 s later
    queued_p1 = next(
        e["incident_id"]
        for e in d.tail.of("incident.status_changed")
        if e["to_state"] == "queued" and e["priority"] == "P1"
    )
    assert (told["incident_id"], told["priority"], told["level"]) == (queued_p1, "P1", 1)
    assert "belum ada tim yang menuju lokasi" in told["detail"]
    await asyncio.sleep(0.3)  # a few sweeps: the queued P2 waits for its own interval
    assert [r["priority"] for r in reminders(d)] == ["P1"]
    d.clock.advance(seconds=2)
    assert [r["priority"] for r in await reminded(d, 2)] == ["P1", "P1"]


async def test_a_p1_nobody_has_room_for_borrows_the_team_busy_with_the_least_urgent_work(
    dispatch: Dispatch,
) -> None:
    d = dispatch
    teams = await set_up_batam(d, [
        {"day": TODAY, "shift": "pagi", "team_code": code} for code in ("B", "C")
    ])  # fmt: skip
    await d.publish(report(0, priority=Priority.P4, kecamatan="Batam Kota"))  # B (capacity 1)
    await d.publish(report(1, priority=Priority.P2, kecamatan="Sekupang"))  # C (capacity 2)
    await d.publish(report(2, priority=Priority.P2, kecamatan="Sekupang"))  # C is full
    first = await d.tail.wait("assignment.created", 3)
    on_p4 = next(a for a in first if a["priority"] == "P4")
    await d.publish(press(on_p4, FieldAction.ACCEPT, 1002, 1))
    await d.tail.wait("assignment.acknowledged")

    await d.publish(report(3, priority=Priority.P1))
    borrowed = (await d.tail.wait("assignment.created", 4))[3]
    assert (borrowed["priority"], borrowed["team_id"]) == ("P1", teams["B"])
    p4_number = on_p4["incident_number"]
    assert (borrowed["borrowed_from_priority"], borrowed["borrowed_from_number"]) == (
        "P4",
        p4_number,
    )
    assert (
        f"dipinjam dari insiden P4 {p4_number} (beban 2/1) / borrowed from a P4 incident "
        f"{p4_number} (load 2/1, over capacity)"
    ) in borrowed["reasons"]
    await asyncio.sleep(0.3)  # a few sweeps: a P1 with a team is not told as unassigned
    assert reminders(d) == []

    await d.publish(report(4, priority=Priority.P1))  # B holds a P1 now: C is the one to borrow
    again = (await d.tail.wait("assignment.created", 5))[4]
    assert (again["team_id"], again["borrowed_from_priority"]) == (teams["C"], "P2")
