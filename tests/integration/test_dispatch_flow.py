"""Dispatch on the real broker and both databases, with a clock moved by hand: a report becomes
an assignment to the right team; a missed deadline escalates and reassigns; presses from the
wrong people change nothing; a shift change hands the work over."""

from __future__ import annotations

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


@pytest.fixture
async def dispatch(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> AsyncIterator[Dispatch]:
    async with running_dispatch(kafka_bootstrap, topic_prefix, new_database("dispatch")) as d:
        yield d


async def test_a_report_becomes_an_assignment_to_the_team_covering_its_zone(
    dispatch: Dispatch,
) -> None:
    d = dispatch
    teams = await set_up_batam(d, [
        {"day": TODAY, "shift": "pagi", "team_code": "A"},
        {"day": TODAY, "shift": "pagi", "team_code": "B"},
    ])  # fmt: skip
    await d.publish(report(1, kecamatan="Batam Kota"))
    [created] = await d.tail.wait("assignment.created")
    assert created["team_id"] == teams["B"]
    assert "zone match" in created["reasons"] and "load 0/1" in created["reasons"]
    assert created["incident_number"] == f"{REGION}-261122-0001"
    assert created["ack_deadline"].startswith("2026-11-22T03:05:00")  # P2: five minutes
    states = [(e["from_state"], e["to_state"]) for e in d.tail.of("incident.status_changed")]
    assert states == [(None, "received"), ("received", "assigned")]

    await d.publish(report(1, kecamatan="Batam Kota"))  # the same report again: nothing new
    await d.publish(report(2, kecamatan="Batam Kota", duplicate_of="rep-0001"))  # joins it
    await d.publish(report(3, kecamatan="Batam Kota", priority=Priority.P1))  # B is full
    created = await d.tail.wait("assignment.created", 2)
    assert created[1]["team_id"] == teams["A"]
    assert "no free team covers the zone" in created[1]["reasons"]
    incidents = await d.api("GET", "/api/v1/incidents", params={"region_code": REGION})
    assert sorted(len(i["report_ids"]) for i in incidents) == [1, 2]


async def test_a_missed_deadline_escalates_and_reassigns_then_a_second_miss_escalates_again(
    dispatch: Dispatch,
) -> None:
    d = dispatch
    teams = await set_up_batam(d, [
        {"day": TODAY, "shift": "pagi", "team_code": "A"},
        {"day": TODAY, "shift": "pagi", "team_code": "C"},
    ])  # fmt: skip
    await d.publish(report(1, priority=Priority.P1))
    [first] = await d.tail.wait("assignment.created")
    assert first["team_id"] == teams["A"]
    d.clock.advance(seconds=119)
    await d.tail.wait("incident.status_changed", 2)
    assert d.tail.of("assignment.timed_out") == []
    d.clock.advance(seconds=2)  # past the P1 deadline of two minutes
    [timed_out] = await d.tail.wait("assignment.timed_out")
    assert timed_out["team_id"] == teams["A"]
    [released] = await d.tail.wait("assignment.released")
    assert released["reason"] == "timed_out"
    [escalated] = await d.tail.wait("incident.escalated")
    assert (escalated["kind"], escalated["level"]) == ("ack_timeout", 1)
    second = (await d.tail.wait("assignment.created", 2))[1]
    assert second["team_id"] == teams["C"]
    assert "after 1 missed" in second["reasons"]

    # Team A pressing now is too late; a stranger's press is refused outright.
    await d.publish(press(first, FieldAction.ACCEPT, 1001, 1))
    await d.publish(press(second, FieldAction.ACCEPT, 9999, 2))
    refused = await d.tail.wait("field.update_refused", 2)
    assert sorted(r["reason"] for r in refused) == ["not_current", "not_in_team"]

    d.clock.advance(seconds=121)  # team C misses too: escalated again, nobody left to try
    escalations = await d.tail.wait("incident.escalated", 2)
    assert escalations[1]["level"] == 2
    detail = await d.api("GET", f"/api/v1/incidents/{first['incident_id']}")
    assert detail["state"] == "queued"
    assert [a["release_reason"] for a in detail["assignments"]] == ["timed_out", "timed_out"]


async def test_the_teams_presses_move_the_incident_and_free_the_team(dispatch: Dispatch) -> None:
    d = dispatch
    await set_up_batam(d, [{"day": TODAY, "shift": "pagi", "team_code": "B"}])
    await d.publish(report(1, kecamatan="Batam Kota"))
    await d.publish(report(2, kecamatan="Batam Kota"))  # B holds one at a time: this one waits
    [first] = await d.tail.wait("assignment.created")
    for n, action in enumerate([FieldAction.ACCEPT, FieldAction.ACCEPT, FieldAction.EN_ROUTE,
                                FieldAction.ON_SCENE, FieldAction.NOTE, FieldAction.SECURED]):  # fmt: skip
        await d.publish(press(first, action, 1002, 10 + n))
    [acknowledged] = await d.tail.wait("assignment.acknowledged")
    assert acknowledged["team_id"] == first["team_id"]
    second = (await d.tail.wait("assignment.created", 2))[1]  # B is free again: the queue moves
    assert second["incident_id"] != first["incident_id"]
    moves = [
        e["to_state"]
        for e in d.tail.of("incident.status_changed")
        if e["incident_id"] == first["incident_id"]
    ]
    assert moves == ["received", "assigned", "acknowledged", "en_route", "on_scene", "secured"]
    [secured] = [e for e in d.tail.of("incident.status_changed") if e["to_state"] == "secured"]
    # What the shelter needs to open cases: who brought them, how many, what, from where.
    assert (secured["team_id"], secured["people_count"], secured["category"]) == (
        first["team_id"],
        1,
        "odgj_terlantar",
    )
    assert secured["location"]["kecamatan"] == "Batam Kota" and secured["report_ids"] == [
        "rep-0001"
    ]
    assert len(d.tail.of("assignment.acknowledged")) == 1  # the double press counted once


async def test_at_the_end_of_a_shift_open_work_goes_to_the_arriving_team(
    dispatch: Dispatch,
) -> None:
    d = dispatch
    teams = await set_up_batam(d, [
        {"day": TODAY, "shift": "pagi", "team_code": "A"},
        {"day": TODAY, "shift": "siang", "team_code": "C"},
    ])  # fmt: skip
    await d.publish(report(1))
    await d.publish(report(2, kecamatan="Sekupang"))
    created = await d.tail.wait("assignment.created", 2)
    await d.publish(press(created[0], FieldAction.ACCEPT, 1001, 1))
    await d.publish(press(created[1], FieldAction.ON_SCENE, 1001, 2))  # A is on scene at #2
    await d.tail.wait("assignment.acknowledged", 2)
    d.clock.advance(hours=5)  # 15.00 WIB: pagi ends, siang begins
    [handover] = await d.tail.wait("shift.handover")
    assert handover["leaving_team_ids"] == [teams["A"]]
    assert handover["arriving_team_ids"] == [teams["C"]]
    assert handover["handed_over"] == [
        {"incident_id": created[0]["incident_id"], "to_team_id": teams["C"]}
    ]
    assert handover["kept"] == [created[1]["incident_id"]]
    third = (await d.tail.wait("assignment.created", 3))[2]
    assert third["team_id"] == teams["C"]


async def test_a_deadline_survives_a_restart_of_the_service(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> None:
    url = new_database("dispatch")
    async with running_dispatch(kafka_bootstrap, topic_prefix, url) as d:
        await set_up_batam(d, [
            {"day": TODAY, "shift": "pagi", "team_code": "A"},
            {"day": TODAY, "shift": "pagi", "team_code": "C"},
        ])  # fmt: skip
        await d.publish(report(1, priority=Priority.P1))
        [first] = await d.tail.wait("assignment.created")
    # Down for three minutes across the P1 deadline: no timer was sleeping in the old process.
    async with running_dispatch(kafka_bootstrap, topic_prefix, url) as again:
        again.clock.advance(minutes=3)
        [timed_out] = await again.tail.wait("assignment.timed_out")
        assert timed_out["assignment_id"] == first["assignment_id"]
        second = (await again.tail.wait("assignment.created", 2))[1]
        assert second["team_id"] != first["team_id"]
