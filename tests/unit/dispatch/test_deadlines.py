"""Acknowledgment and check-in deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.dispatch.domain.deadlines import DEFAULT, Deadlines
from shared.contracts.vocabulary import Priority

ASSIGNED_AT = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(("priority", "minutes"), [("P1", 2), ("P2", 5), ("P3", 15), ("P4", 60)])
def test_default_ack_deadlines_per_priority(priority: str, minutes: int) -> None:
    assert DEFAULT.ack[priority] == timedelta(minutes=minutes)


def test_default_covers_exactly_the_four_priorities() -> None:
    assert set(DEFAULT.ack) == {p.value for p in Priority}


def test_more_urgent_priorities_have_shorter_ack_deadlines() -> None:
    times = [DEFAULT.ack[p] for p in ("P1", "P2", "P3", "P4")]
    assert times == sorted(times)


@pytest.mark.parametrize(("priority", "minutes"), [("P1", 2), ("P2", 5), ("P3", 15), ("P4", 60)])
def test_ack_deadline_adds_the_priority_time_to_the_assignment(priority: str, minutes: int) -> None:
    assert DEFAULT.ack_deadline(priority, ASSIGNED_AT) == ASSIGNED_AT + timedelta(minutes=minutes)


def test_ack_deadline_accepts_the_priority_enum() -> None:
    assert DEFAULT.ack_deadline(Priority.P1, ASSIGNED_AT) == datetime(
        2026, 11, 22, 13, 2, tzinfo=UTC
    )


def test_a_p4_assigned_late_in_the_evening_is_due_the_next_day() -> None:
    late = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert DEFAULT.ack_deadline("P4", late) == datetime(2026, 11, 23, 0, 30, tzinfo=UTC)


def test_ack_deadline_keeps_the_time_zone() -> None:
    deadline = DEFAULT.ack_deadline("P2", ASSIGNED_AT)
    assert deadline.tzinfo is UTC


def test_an_unknown_priority_has_no_deadline() -> None:
    with pytest.raises(KeyError):
        DEFAULT.ack_deadline("P9", ASSIGNED_AT)


def test_default_check_ins_ask_after_30_minutes_and_escalate_10_minutes_later() -> None:
    assert DEFAULT.checkin_after == timedelta(minutes=30)
    assert DEFAULT.checkin_grace == timedelta(minutes=10)


def test_a_region_can_set_its_own_deadlines() -> None:
    slow = Deadlines(
        ack={"P1": timedelta(minutes=10)},
        checkin_after=timedelta(hours=1),
        checkin_grace=timedelta(minutes=20),
    )
    assert slow.ack_deadline("P1", ASSIGNED_AT) == ASSIGNED_AT + timedelta(minutes=10)


@pytest.mark.parametrize(
    ("priority", "seconds"), [("P1", 120), ("P2", 300), ("P3", 900), ("P4", 3600)]
)
def test_an_incident_with_no_team_is_reminded_of_at_its_priority_interval(
    priority: str, seconds: int
) -> None:
    assert DEFAULT.next_reminder(priority, ASSIGNED_AT) == ASSIGNED_AT + timedelta(seconds=seconds)


def test_reminders_cover_the_four_priorities_most_urgent_most_often() -> None:
    assert set(DEFAULT.remind) == {p.value for p in Priority}
    times = [DEFAULT.remind[p] for p in ("P1", "P2", "P3", "P4")]
    assert times == sorted(times)


def test_a_team_that_missed_an_incident_waits_a_minute_before_it_may_have_it_again() -> None:
    assert DEFAULT.retry_missed == timedelta(seconds=60)


def test_the_supervisors_hear_of_a_p1_with_no_team_at_once() -> None:
    assert DEFAULT.first_reminder("P1", ASSIGNED_AT) == ASSIGNED_AT


@pytest.mark.parametrize(("priority", "seconds"), [("P2", 300), ("P3", 900), ("P4", 3600)])
def test_a_lower_priority_queued_at_peak_is_first_mentioned_after_one_interval(
    priority: str, seconds: int
) -> None:
    assert DEFAULT.first_reminder(priority, ASSIGNED_AT) == ASSIGNED_AT + timedelta(seconds=seconds)
