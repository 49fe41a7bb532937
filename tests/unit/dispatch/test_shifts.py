"""Shift arithmetic: local shifts in the region's zone, duties as UTC intervals, gaps, handovers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.dispatch.domain.shifts import (
    Duty,
    Handover,
    RosterEntry,
    ShiftDef,
    UnknownShift,
    duties,
    gap_ahead,
    gaps,
    handovers,
    on_duty,
    roster_days,
)

WIB = ZoneInfo("Asia/Jakarta")  # UTC+7
WITA = ZoneInfo("Asia/Makassar")  # UTC+8

PAGI = ShiftDef("pagi", time(7), time(15))
SIANG = ShiftDef("siang", time(15), time(23))
MALAM = ShiftDef("malam", time(23), time(7))
THREE_SHIFTS = [PAGI, SIANG, MALAM]

DAY_12 = ShiftDef("siang12", time(7), time(19))
NIGHT_12 = ShiftDef("malam12", time(19), time(7))
TWO_SHIFTS = [DAY_12, NIGHT_12]

D22 = date(2026, 11, 22)
D23 = date(2026, 11, 23)


def utc(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


def full_day(day: date, teams: dict[str, str]) -> list[RosterEntry]:
    """One roster entry per shift code → team."""
    return [RosterEntry(day, shift, team) for shift, team in teams.items()]


# ------------------------------------------------------------------ shift definitions
def test_pagi_and_siang_stay_within_the_day_and_malam_crosses_midnight() -> None:
    assert not PAGI.crosses_midnight
    assert not SIANG.crosses_midnight
    assert MALAM.crosses_midnight


@pytest.mark.parametrize(
    ("shift", "start", "end"),
    [
        (PAGI, utc(22, 0), utc(22, 8)),  # 07:00–15:00 WIB
        (SIANG, utc(22, 8), utc(22, 16)),  # 15:00–23:00 WIB
        (MALAM, utc(22, 16), utc(23, 0)),  # 23:00 WIB 22 Nov – 07:00 WIB 23 Nov
    ],
)
def test_the_three_wib_shifts_of_22_november_in_utc(
    shift: ShiftDef, start: datetime, end: datetime
) -> None:
    assert shift.window(D22, WIB) == (start, end)


def test_a_night_shift_runs_past_midnight_in_the_regions_zone() -> None:
    start, end = MALAM.window(D22, WIB)
    assert start == utc(22, 16)
    assert end == utc(23, 0)
    assert end - start == timedelta(hours=8)
    assert start.astimezone(WIB) == wib(22, 23)
    assert end.astimezone(WIB) == wib(23, 7)


def test_shift_windows_are_in_utc() -> None:
    start, end = PAGI.window(D22, WIB)
    assert start.utcoffset() == timedelta(0)
    assert end.utcoffset() == timedelta(0)


def test_the_three_wib_shifts_tile_the_day_without_overlap() -> None:
    pagi, siang, malam = (s.window(D22, WIB) for s in THREE_SHIFTS)
    assert pagi[1] == siang[0]
    assert siang[1] == malam[0]
    assert malam[1] == PAGI.window(D23, WIB)[0]


def test_the_same_local_shift_in_wita_starts_one_hour_earlier_in_utc() -> None:
    wib_start, wib_end = MALAM.window(D22, WIB)
    wita_start, wita_end = MALAM.window(D22, WITA)
    assert wita_start == wib_start - timedelta(hours=1)
    assert wita_end == wib_end - timedelta(hours=1)
    assert wita_start == utc(22, 15)


@pytest.mark.parametrize(
    ("shift", "start", "end"),
    [
        (DAY_12, utc(22, 0), utc(22, 12)),  # 07:00–19:00 WIB
        (NIGHT_12, utc(22, 12), utc(23, 0)),  # 19:00 WIB – 07:00 WIB next day
    ],
)
def test_two_twelve_hour_shifts_last_twelve_hours_each(
    shift: ShiftDef, start: datetime, end: datetime
) -> None:
    assert shift.window(D22, WIB) == (start, end)
    assert end - start == timedelta(hours=12)


def test_a_shift_ending_when_it_starts_lasts_a_whole_day() -> None:
    day_long = ShiftDef("24jam", time(7), time(7))
    assert day_long.crosses_midnight
    start, end = day_long.window(D22, WIB)
    assert end - start == timedelta(hours=24)


# ------------------------------------------------------------------ duties and on_duty
def test_duties_are_utc_intervals_sorted_by_start() -> None:
    roster = [
        RosterEntry(D22, "malam", "tim-c"),
        RosterEntry(D22, "pagi", "tim-a"),
        RosterEntry(D22, "siang", "tim-b"),
    ]
    found = duties(THREE_SHIFTS, roster, WIB)
    assert found == [
        Duty("tim-a", "pagi", D22, utc(22, 0), utc(22, 8)),
        Duty("tim-b", "siang", D22, utc(22, 8), utc(22, 16)),
        Duty("tim-c", "malam", D22, utc(22, 16), utc(23, 0)),
    ]


def test_teams_on_the_same_shift_are_sorted_by_team_id() -> None:
    roster = [RosterEntry(D22, "pagi", "tim-b"), RosterEntry(D22, "pagi", "tim-a")]
    assert [d.team_id for d in duties(THREE_SHIFTS, roster, WIB)] == ["tim-a", "tim-b"]


def test_an_unknown_shift_code_raises_unknown_shift() -> None:
    roster = [RosterEntry(D22, "sore", "tim-a")]
    with pytest.raises(UnknownShift, match="sore"):
        duties(THREE_SHIFTS, roster, WIB)


def test_unknown_shift_is_a_value_error() -> None:
    assert issubclass(UnknownShift, ValueError)


def test_a_duty_covers_its_start_but_not_its_end() -> None:
    duty = Duty("tim-a", "pagi", D22, utc(22, 0), utc(22, 8))
    assert duty.covers(utc(22, 0))
    assert duty.covers(utc(22, 7, 59))
    assert not duty.covers(utc(22, 8))
    assert not duty.covers(utc(21, 23, 59))


def test_at_two_in_the_morning_wib_yesterdays_night_team_is_on_duty() -> None:
    at = wib(23, 2).astimezone(UTC)
    days = roster_days(at, WIB)
    assert days == [D22, D23]
    roster = [
        *full_day(D22, {"pagi": "tim-a", "siang": "tim-b", "malam": "tim-c"}),
        *full_day(D23, {"pagi": "tim-d", "siang": "tim-e", "malam": "tim-f"}),
    ]
    todays_roster = [r for r in roster if r.day in days]
    assert on_duty(duties(THREE_SHIFTS, todays_roster, WIB), at) == {"tim-c"}


def test_the_night_team_hands_over_to_the_morning_team_at_seven_wib() -> None:
    roster = [RosterEntry(D22, "malam", "tim-c"), RosterEntry(D23, "pagi", "tim-d")]
    all_duties = duties(THREE_SHIFTS, roster, WIB)
    assert on_duty(all_duties, wib(23, 6, 59)) == {"tim-c"}
    assert on_duty(all_duties, wib(23, 7)) == {"tim-d"}


def test_several_teams_can_share_a_shift() -> None:
    roster = [RosterEntry(D22, "pagi", "tim-a"), RosterEntry(D22, "pagi", "tim-b")]
    assert on_duty(duties(THREE_SHIFTS, roster, WIB), wib(22, 10)) == {"tim-a", "tim-b"}


def test_nobody_is_on_duty_outside_every_shift() -> None:
    roster = [RosterEntry(D22, "pagi", "tim-a")]
    assert on_duty(duties(THREE_SHIFTS, roster, WIB), wib(22, 16)) == set()


def test_a_wita_team_is_on_duty_by_wita_clocks() -> None:
    roster = [RosterEntry(D22, "pagi", "tim-mks")]
    all_duties = duties(THREE_SHIFTS, roster, WITA)
    # 07:00 WITA is 06:00 WIB: the Makassar team is already working at 06:30 WIB.
    assert on_duty(all_duties, wib(22, 6, 30)) == {"tim-mks"}
    assert on_duty(all_duties, wib(22, 14, 30)) == set()  # 15:30 WITA


# ------------------------------------------------------------------ roster_days
def test_roster_days_include_yesterday_for_a_running_night_shift() -> None:
    assert roster_days(wib(22, 12).astimezone(UTC), WIB) == [date(2026, 11, 21), D22]


def test_roster_days_use_the_local_date_not_the_utc_date() -> None:
    at = utc(22, 18)  # 01:00 WIB on 23 Nov, still 22 Nov in UTC
    assert roster_days(at, WIB) == [D22, D23]


def test_roster_days_stretch_over_the_look_ahead() -> None:
    at = wib(23, 2).astimezone(UTC)
    assert roster_days(at, WIB, ahead=timedelta(days=2)) == [
        D22,
        D23,
        date(2026, 11, 24),
        date(2026, 11, 25),
    ]


def test_roster_days_cross_a_month_end() -> None:
    at = datetime(2026, 12, 1, 1, tzinfo=WIB).astimezone(UTC)
    assert roster_days(at, WIB) == [date(2026, 11, 30), date(2026, 12, 1)]


# ------------------------------------------------------------------ gaps
def test_a_roster_with_no_siang_team_leaves_a_gap_with_exact_utc_bounds() -> None:
    roster = full_day(D22, {"pagi": "tim-a", "malam": "tim-c"})
    found = gaps(duties(THREE_SHIFTS, roster, WIB), utc(22, 0), utc(23, 0))
    assert found == [(utc(22, 8), utc(22, 16))]  # 15:00–23:00 WIB


def test_a_fully_covered_day_has_no_gap() -> None:
    roster = full_day(D22, {"pagi": "tim-a", "siang": "tim-b", "malam": "tim-c"})
    assert gaps(duties(THREE_SHIFTS, roster, WIB), utc(22, 0), utc(23, 0)) == []


def test_two_twelve_hour_shifts_cover_the_day() -> None:
    roster = full_day(D22, {"siang12": "tim-a", "malam12": "tim-b"})
    assert gaps(duties(TWO_SHIFTS, roster, WIB), utc(22, 0), utc(23, 0)) == []


def test_an_empty_roster_is_one_gap_over_the_whole_window() -> None:
    assert gaps([], utc(22, 0), utc(23, 0)) == [(utc(22, 0), utc(23, 0))]


def test_gaps_at_both_edges_of_the_window_are_clipped_to_it() -> None:
    roster = [RosterEntry(D22, "siang", "tim-b")]
    found = gaps(duties(THREE_SHIFTS, roster, WIB), utc(22, 0), utc(23, 0))
    assert found == [(utc(22, 0), utc(22, 8)), (utc(22, 16), utc(23, 0))]


def test_a_shift_running_into_the_window_covers_its_start() -> None:
    roster = [RosterEntry(D22, "malam", "tim-c"), RosterEntry(D23, "siang", "tim-e")]
    found = gaps(duties(THREE_SHIFTS, roster, WIB), wib(23, 2), wib(24, 0))
    assert found == [
        (utc(23, 0), utc(23, 8)),  # pagi of 23 Nov: 07:00–15:00 WIB
        (utc(23, 16), utc(23, 17)),  # malam of 23 Nov up to the window's end: 23:00–24:00 WIB
    ]


def test_overlapping_duties_leave_no_gap() -> None:
    roster = [
        RosterEntry(D22, "siang12", "tim-a"),  # 07–19
        RosterEntry(D22, "siang", "tim-b"),  # 15–23
        RosterEntry(D22, "malam", "tim-c"),  # 23–07
    ]
    all_duties = duties([*THREE_SHIFTS, *TWO_SHIFTS], roster, WIB)
    assert gaps(all_duties, utc(22, 0), utc(23, 0)) == []


def test_duties_outside_the_window_do_not_matter() -> None:
    roster = [RosterEntry(date(2026, 11, 20), "pagi", "tim-a"), RosterEntry(D23, "pagi", "tim-b")]
    found = gaps(duties(THREE_SHIFTS, roster, WIB), utc(22, 0), utc(22, 8))
    assert found == [(utc(22, 0), utc(22, 8))]


def test_gaps_accept_duties_in_any_order() -> None:
    roster = full_day(D22, {"pagi": "tim-a", "malam": "tim-c"})
    shuffled = list(reversed(duties(THREE_SHIFTS, roster, WIB)))
    assert gaps(shuffled, utc(22, 0), utc(23, 0)) == [(utc(22, 8), utc(22, 16))]


def test_a_wita_roster_gap_is_an_hour_earlier_in_utc() -> None:
    roster = full_day(D22, {"pagi": "tim-a", "malam": "tim-c"})
    found = gaps(duties(THREE_SHIFTS, roster, WITA), utc(21, 23), utc(22, 23))
    assert found == [(utc(22, 7), utc(22, 15))]  # 15:00–23:00 WITA


# ------------------------------------------------------------------ a gap told ahead
def test_a_gap_starting_within_the_warning_time_is_found_with_its_true_end() -> None:
    on_duty = duties(THREE_SHIFTS, full_day(D22, {"pagi": "tim-a", "malam": "tim-c"}), WIB)
    two_hours = timedelta(hours=2)
    found = gap_ahead(on_duty, utc(22, 6), two_hours, horizon=timedelta(hours=24))
    assert found == (utc(22, 8), utc(22, 16))  # 15:00–23:00 WIB, not cut at the warning time


def test_a_gap_further_ahead_than_the_warning_time_or_already_begun_is_not_ahead() -> None:
    on_duty = duties(THREE_SHIFTS, full_day(D22, {"pagi": "tim-a", "malam": "tim-c"}), WIB)
    two_hours, day = timedelta(hours=2), timedelta(hours=24)
    assert gap_ahead(on_duty, utc(22, 5, 59), two_hours, horizon=day) is None  # 2 h 1 min ahead
    assert gap_ahead(on_duty, utc(22, 8), two_hours, horizon=day) is None  # it has begun


# ------------------------------------------------------------------ handovers
def test_handovers_name_the_leaving_and_arriving_teams() -> None:
    roster = full_day(D22, {"pagi": "tim-a", "siang": "tim-b", "malam": "tim-c"})
    found = handovers(duties(THREE_SHIFTS, roster, WIB), utc(22, 0), utc(22, 23))
    assert found == [
        Handover(utc(22, 8), ("tim-a",), ("tim-b",)),
        Handover(utc(22, 16), ("tim-b",), ("tim-c",)),
    ]


def test_the_night_shift_handover_is_at_seven_wib_the_next_morning() -> None:
    roster = [RosterEntry(D22, "malam", "tim-c"), RosterEntry(D23, "pagi", "tim-d")]
    found = handovers(duties(THREE_SHIFTS, roster, WIB), utc(22, 12), utc(23, 6))
    assert found == [Handover(wib(23, 7), ("tim-c",), ("tim-d",))]


def test_a_team_on_two_consecutive_shifts_is_neither_leaving_nor_arriving() -> None:
    roster = [
        RosterEntry(D22, "pagi", "tim-a"),
        RosterEntry(D22, "pagi", "tim-b"),
        RosterEntry(D22, "siang", "tim-a"),
        RosterEntry(D22, "siang", "tim-c"),
    ]
    found = handovers(duties(THREE_SHIFTS, roster, WIB), utc(22, 0), utc(22, 12))
    assert found == [Handover(utc(22, 8), ("tim-b",), ("tim-c",))]


def test_a_team_that_simply_stays_on_makes_no_handover() -> None:
    roster = [RosterEntry(D22, "pagi", "tim-a"), RosterEntry(D22, "siang", "tim-a")]
    assert handovers(duties(THREE_SHIFTS, roster, WIB), utc(22, 0), utc(22, 12)) == []


def test_a_team_leaving_into_a_gap_hands_over_to_nobody() -> None:
    roster = [RosterEntry(D22, "pagi", "tim-a")]
    found = handovers(duties(THREE_SHIFTS, roster, WIB), utc(22, 0), utc(22, 12))
    assert found == [Handover(utc(22, 8), ("tim-a",), ())]


def test_several_teams_leaving_and_arriving_are_sorted() -> None:
    roster = full_day(D22, {"pagi": "tim-b", "siang": "tim-d"}) + full_day(
        D22, {"pagi": "tim-a", "siang": "tim-c"}
    )
    found = handovers(duties(THREE_SHIFTS, roster, WIB), utc(22, 0), utc(22, 12))
    assert found == [Handover(utc(22, 8), ("tim-a", "tim-b"), ("tim-c", "tim-d"))]


def test_handovers_are_in_the_half_open_interval_since_excluded_until_included() -> None:
    roster = full_day(D22, {"pagi": "tim-a", "siang": "tim-b", "malam": "tim-c"})
    all_duties = duties(THREE_SHIFTS, roster, WIB)
    assert handovers(all_duties, utc(22, 8), utc(22, 15)) == []  # 08:00 UTC excluded
    assert [h.at for h in handovers(all_duties, utc(22, 7), utc(22, 8))] == [utc(22, 8)]


def test_twelve_hour_shifts_hand_over_at_seven_and_nineteen_wib() -> None:
    roster = [
        RosterEntry(D22, "siang12", "tim-a"),
        RosterEntry(D22, "malam12", "tim-b"),
        RosterEntry(D23, "siang12", "tim-a"),
    ]
    found = handovers(duties(TWO_SHIFTS, roster, WIB), utc(22, 0), utc(23, 6))
    assert found == [
        Handover(wib(22, 19), ("tim-a",), ("tim-b",)),
        Handover(wib(23, 7), ("tim-b",), ("tim-a",)),
    ]
