"""The deadline timer's rules without a database: the next shift boundary on the region's own
clock, and how long the timer sleeps (until the earliest due instant, at most the cap, never a
busy loop over something a sweep could not clear)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.dispatch.domain.rules import DispatchRules
from services.dispatch.incidents.sweep import _ALWAYS, _next_boundary, _shift_due_at
from services.dispatch.models import ShiftDefinition
from services.dispatch.timers import STUCK_PAUSE_S, DeadlineTimer

MAKASSAR = "73.71"  # WITA, UTC+8
BATAM = "21.71"  # WIB, UTC+7
T0 = datetime(2026, 11, 22, 0, 0, tzinfo=UTC)  # 08.00 WITA, 07.00 WIB


def _shift(region: str, starts: str = "07:00", ends: str = "15:00") -> ShiftDefinition:
    return ShiftDefinition(region_code=region, code="pagi", starts=starts, ends=ends)


def test_the_next_boundary_is_on_the_regions_own_clock() -> None:
    # 08.00 WITA: the pagi shift (07-15) ends at 15.00 WITA = 07.00 UTC.
    assert _next_boundary(_shift(MAKASSAR), T0, timedelta(0)) == T0 + timedelta(hours=7)
    # The same instant in Batam is 07.00 WIB, the start itself: the next one is 15.00 WIB.
    assert _next_boundary(_shift(BATAM), T0, timedelta(0)) == T0 + timedelta(hours=8)


def test_a_shift_ends_warning_comes_before_its_end() -> None:
    warned = _next_boundary(_shift(MAKASSAR), T0, timedelta(hours=2))
    assert warned == T0 + timedelta(hours=5)  # 13.00 WITA, two hours before 15.00


def test_a_shift_past_midnight_and_a_long_warning_find_the_next_instant() -> None:
    night = _shift(MAKASSAR, starts="23:00", ends="07:00")
    since = T0 + timedelta(hours=1)  # 09.00 WITA: next is 23.00 WITA, 15.00 UTC
    assert _next_boundary(night, since, timedelta(0)) == T0 + timedelta(hours=15)
    # A 40-hour warning before 07.00 WITA the day after tomorrow: 15.00 WITA today, first.
    assert _next_boundary(night, since, timedelta(hours=40)) == T0 + timedelta(hours=7)


def test_a_region_never_checked_is_due_since_always() -> None:
    assert _shift_due_at(_shift(MAKASSAR), None, timedelta(0)) == _ALWAYS
    assert _shift_due_at(_shift(MAKASSAR), T0, timedelta(0)) == T0 + timedelta(hours=7)


def _timer(cap: float = 30.0) -> DeadlineTimer:
    """Only its rules are used here: no platform (no database) behind it."""
    platform: Any = None
    return DeadlineTimer(platform, DispatchRules(), lambda: T0, least_s=0.05, cap_s=cap)


def test_the_timer_sleeps_until_the_earliest_due_instant_at_most_the_cap() -> None:
    timer = _timer(cap=30.0)
    assert timer.pause(None, T0) == 30.0  # nothing pending
    assert timer.pause(T0 + timedelta(seconds=2.5), T0) == pytest.approx(2.5)
    assert timer.pause(T0 + timedelta(minutes=2), T0) == 30.0


def test_what_fell_due_during_a_sweep_is_for_the_next_turn_at_once() -> None:
    timer = _timer()
    timer._swept_at, timer._swept_mono = T0, time.monotonic()
    assert timer.pause(T0 + timedelta(milliseconds=3), T0 + timedelta(milliseconds=5)) == 0.0
    assert timer._should_sweep(T0 + timedelta(milliseconds=3), T0 + timedelta(milliseconds=5))


def test_what_a_sweep_could_not_clear_waits_a_second_and_does_not_spin() -> None:
    timer = _timer()
    timer._swept_at, timer._swept_mono = T0, time.monotonic()
    stuck = T0 - timedelta(seconds=1)  # due before that sweep began, and still there
    assert 0.9 * STUCK_PAUSE_S < timer.pause(stuck, T0) <= STUCK_PAUSE_S
    assert not timer._should_sweep(stuck, T0)
    timer._swept_mono -= STUCK_PAUSE_S  # a second later: tried again
    assert timer._should_sweep(stuck, T0)
    assert not timer._should_sweep(None, T0)
    assert not timer._should_sweep(T0 + timedelta(seconds=1), T0)
