"""The console's pure parts: broken promises on the board, the local calendar of the figures,
which report of a shelter case wins, the live feed's fan-out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from services.dispatch.console.live import CLOSED, QUEUE_SIZE, Change, Hub, touched
from services.dispatch.domain.casestate import is_newer, long_stay_days
from services.dispatch.domain.console import breaches, period_start
from services.dispatch.domain.levels import Timings, phases

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Sunday 10.00 WIB
TARGET = timedelta(minutes=45)


def _flags(state: str, no_team_recorded: bool = False, **times: datetime | None) -> list[str]:
    return breaches(
        state,
        now=NOW,
        arrival_target=TARGET,
        ack_deadline=times.get("ack_deadline"),
        acknowledged_at=times.get("acknowledged_at"),
        on_scene_at=times.get("on_scene_at"),
        no_team_recorded=no_team_recorded,
    )


def test_an_assignment_past_its_deadline_without_acceptance_is_overdue() -> None:
    assert _flags("assigned", ack_deadline=NOW - timedelta(seconds=1)) == ["ack_overdue"]
    assert _flags("assigned", ack_deadline=NOW) == []
    assert _flags("queued", ack_deadline=NOW - timedelta(hours=1)) == ["no_team"]


def test_an_incident_without_a_team_is_a_breach_from_the_first_second() -> None:
    assert _flags("received") == ["no_team"]
    assert _flags("queued") == ["no_team"]
    assert _flags("assigned", ack_deadline=NOW + timedelta(minutes=1)) == []


def test_no_team_is_no_longer_a_breach_once_a_supervisor_recorded_no_team_can_go() -> None:
    assert _flags("queued", no_team_recorded=True) == []


def test_an_accepted_team_not_on_scene_after_the_arrival_target_is_flagged() -> None:
    late = NOW - timedelta(minutes=46)
    assert _flags("acknowledged", acknowledged_at=late) == ["no_arrival"]
    assert _flags("en_route", acknowledged_at=late) == ["no_arrival"]
    assert _flags("en_route", acknowledged_at=NOW - timedelta(minutes=44)) == []
    assert _flags("on_scene", acknowledged_at=late, on_scene_at=NOW) == []


def test_periods_start_at_local_midnight_monday_and_the_first() -> None:
    wib = ZoneInfo("Asia/Jakarta")
    late_evening = datetime(2026, 11, 22, 18, 30, tzinfo=UTC)  # Monday 01.30 WIB
    assert period_start("today", late_evening, wib) == datetime(2026, 11, 23, tzinfo=wib)
    assert period_start("week", NOW, wib) == datetime(2026, 11, 16, tzinfo=wib)
    assert period_start("month", NOW, wib) == datetime(2026, 11, 1, tzinfo=wib)


def test_a_case_never_goes_back_to_an_older_state() -> None:
    earlier, later = NOW, NOW + timedelta(minutes=5)
    assert is_newer("assessed", later, "admitted", earlier)
    assert not is_newer("admitted", earlier, "assessed", later)
    assert is_newer("outcome", earlier, "in_service", earlier)  # same moment, further along
    assert not is_newer("in_service", earlier, "outcome", earlier)


def test_long_stays_are_two_weeks_for_street_cases_and_a_month_otherwise() -> None:
    assert (long_stay_days("gepeng"), long_stay_days("lansia_terlantar")) == (14, 30)


def test_acceptance_to_arrival_is_measured_from_the_acceptance() -> None:
    t = Timings(
        NOW, NOW + timedelta(seconds=30), NOW + timedelta(seconds=90), NOW + timedelta(minutes=20)
    )
    found = phases([t])
    assert found["acceptance_to_on_scene"] == [1110.0]
    assert found["report_to_on_scene"] == [1200.0]


def test_events_name_the_incidents_they_touch_and_case_events_wait_for_the_copy() -> None:
    assert touched("trc.incidents.v1", "e1", {"incident_id": "i1"}).incident_ids == ("i1",)
    handover = {"handed_over": [{"incident_id": "i1", "to_team_id": "t"}], "kept": ["i2"]}
    assert touched("trc.incidents.v1", "e2", handover).incident_ids == ("i1", "i2")
    assert touched("trc.cases.v1", "e3", {"incident_id": "i3"}).case_event_id == "e3"
    assert touched("trc.cases.v1", "e4", {"shelter_id": "s"}).incident_ids == ()


async def test_rows_go_to_the_regions_watching_and_a_slow_page_is_dropped() -> None:
    hub = Hub()
    batam, province, makassar = hub.subscribe("21.71"), hub.subscribe("21"), hub.subscribe("73.71")
    hub.publish(Change("incident", "21.71", {"incident_id": "i1"}))
    assert batam.queue.qsize() == province.queue.qsize() == 1
    assert makassar.queue.empty()
    for n in range(QUEUE_SIZE):
        hub.publish(Change("incident", "21.71", {"incident_id": f"i{n}"}))
    assert batam not in hub.subscribers
    items = [batam.queue.get_nowait() for _ in range(batam.queue.qsize())]
    assert items[-1] is CLOSED
    hub.close()
    assert await asyncio.wait_for(makassar.queue.get(), 1) is CLOSED
    assert hub.subscribe("21.71").queue.get_nowait() is CLOSED
