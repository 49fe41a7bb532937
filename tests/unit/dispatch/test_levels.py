"""Service levels: nearest-rank percentiles and the report→assignment→acceptance→on-scene spreads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.dispatch.domain.levels import Spread, Timings, percentile, service_levels, spread

WITA = ZoneInfo("Asia/Makassar")  # UTC+8, Banjarmasin
T0 = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def incident(
    assigned_s: float | None = None,
    accepted_s: float | None = None,
    on_scene_s: float | None = None,
) -> Timings:
    """An incident received at T0; each other time given as seconds after the report."""

    def at(seconds: float | None) -> datetime | None:
        return None if seconds is None else T0 + timedelta(seconds=seconds)

    return Timings(T0, at(assigned_s), at(accepted_s), at(on_scene_s))


# --- percentile ---------------------------------------------------------------------------------


def test_the_percentile_of_no_values_is_none() -> None:
    assert percentile([], 50) is None
    assert percentile([], 90) is None


def test_p50_of_four_values_is_the_second_smallest() -> None:
    assert percentile([1, 2, 3, 4], 50) == 2


def test_p90_of_ten_values_is_the_ninth_smallest() -> None:
    values = [float(v) for v in range(10, 110, 10)]
    assert percentile(values, 90) == 90.0


def test_p90_of_eleven_values_rounds_the_rank_up_to_the_tenth() -> None:
    assert percentile(list(range(1, 12)), 90) == 10


def test_percentile_sorts_the_values_itself_and_leaves_the_callers_list_alone() -> None:
    values = [40.0, 10.0, 30.0, 20.0]
    assert percentile(values, 50) == 20.0
    assert values == [40.0, 10.0, 30.0, 20.0]


def test_any_percentile_of_a_single_value_is_that_value() -> None:
    for q in (0, 1, 50, 90, 100):
        assert percentile([7.5], q) == 7.5


def test_p0_is_the_smallest_value_and_p100_the_largest() -> None:
    values = [5, 3, 9, 1, 7]
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 9


def test_p50_of_an_odd_count_is_the_median() -> None:
    assert percentile([3, 1, 2, 5, 4], 50) == 3


@pytest.mark.parametrize("q", [7, 14, 28, 55, 56])
def test_nearest_rank_is_exact_when_q_percent_of_the_count_is_a_whole_number(q: int) -> None:
    assert percentile(list(range(1, 101)), q) == q


# --- spread -------------------------------------------------------------------------------------


def test_a_spread_without_a_target_has_no_within_target_share() -> None:
    assert spread([10.0, 20.0]) == Spread(2, 10.0, 20.0, None)


def test_a_spread_of_nothing_is_empty_even_with_a_target() -> None:
    assert spread([], timedelta(seconds=60)) == Spread(0, None, None, None)


# --- service_levels -----------------------------------------------------------------------------


def test_service_levels_measure_each_stage_in_seconds() -> None:
    levels = service_levels([incident(assigned_s=30, accepted_s=90, on_scene_s=1200)])
    assert levels["report_to_assignment"] == Spread(1, 30.0, 30.0, 1.0)
    assert levels["assignment_to_acceptance"] == Spread(1, 60.0, 60.0, None)
    assert levels["report_to_on_scene"] == Spread(1, 1200.0, 1200.0, 1.0)


def test_service_levels_over_several_incidents_give_p50_and_p90() -> None:
    incidents = [
        incident(assigned_s=s, accepted_s=s + 10 * i, on_scene_s=600 * i)
        for i, s in enumerate([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], start=1)
    ]
    levels = service_levels(incidents)
    assign = levels["report_to_assignment"]
    assert (assign.count, assign.p50_s, assign.p90_s) == (10, 50.0, 90.0)
    accept = levels["assignment_to_acceptance"]
    assert (accept.count, accept.p50_s, accept.p90_s) == (10, 50.0, 90.0)
    scene = levels["report_to_on_scene"]
    assert (scene.count, scene.p50_s, scene.p90_s) == (10, 3000.0, 5400.0)


def test_incidents_not_yet_assigned_accepted_or_on_scene_are_left_out_of_that_stage() -> None:
    levels = service_levels(
        [
            incident(),  # only reported
            incident(assigned_s=20),  # assigned, not accepted
            incident(assigned_s=40, accepted_s=100),  # accepted, not on scene
            incident(assigned_s=50, accepted_s=80, on_scene_s=900),
        ]
    )
    assert levels["report_to_assignment"].count == 3
    assert levels["report_to_assignment"].p90_s == 50.0
    assert levels["assignment_to_acceptance"].count == 2
    assert levels["assignment_to_acceptance"].p50_s == 30.0
    assert levels["assignment_to_acceptance"].p90_s == 60.0
    assert levels["report_to_on_scene"].count == 1
    assert levels["report_to_on_scene"].p50_s == 900.0


def test_no_incidents_give_empty_spreads_for_every_stage() -> None:
    levels = service_levels([])
    assert set(levels) == {
        "report_to_assignment",
        "assignment_to_acceptance",
        "report_to_on_scene",
    }
    for level in levels.values():
        assert level == Spread(0, None, None, None)


def test_within_target_is_the_share_assigned_within_60_seconds_counting_exactly_60() -> None:
    levels = service_levels(
        [
            incident(assigned_s=5),
            incident(assigned_s=59),
            incident(assigned_s=60),
            incident(assigned_s=61),
            incident(assigned_s=300),
        ]
    )
    assert levels["report_to_assignment"].within_target == pytest.approx(3 / 5)


def test_within_target_is_the_share_on_scene_within_45_minutes_counting_exactly_45() -> None:
    levels = service_levels(
        [
            incident(assigned_s=10, on_scene_s=20 * 60),
            incident(assigned_s=10, on_scene_s=45 * 60),
            incident(assigned_s=10, on_scene_s=45 * 60 + 1),
            incident(assigned_s=10, on_scene_s=90 * 60),
        ]
    )
    assert levels["report_to_on_scene"].within_target == pytest.approx(0.5)


def test_acceptance_has_no_target_so_no_within_target_share() -> None:
    levels = service_levels([incident(assigned_s=10, accepted_s=9999)])
    assert levels["assignment_to_acceptance"].within_target is None


def test_other_targets_can_be_given() -> None:
    incidents = [
        incident(assigned_s=100, on_scene_s=25 * 60),
        incident(assigned_s=150, on_scene_s=35 * 60),
    ]
    levels = service_levels(
        incidents,
        assign_target=timedelta(minutes=2),
        arrival_target=timedelta(minutes=30),
    )
    assert levels["report_to_assignment"].within_target == pytest.approx(0.5)
    assert levels["report_to_on_scene"].within_target == pytest.approx(0.5)


def test_times_recorded_in_different_zones_are_compared_as_instants() -> None:
    received = datetime(2026, 11, 22, 10, 0, tzinfo=WITA)  # 02:00 UTC
    assigned = datetime(2026, 11, 22, 2, 0, 45, tzinfo=UTC)
    on_scene = datetime(2026, 11, 22, 10, 30, tzinfo=WITA)
    levels = service_levels([Timings(received, assigned, None, on_scene)])
    assert levels["report_to_assignment"].p50_s == 45.0
    assert levels["report_to_on_scene"].p50_s == 1800.0
