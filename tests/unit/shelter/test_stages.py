"""A case's states and rehabilitation stages: where a case may go, what its state already says,
what comes next, and when each stage is due."""

from datetime import UTC, datetime

import pytest

from services.shelter.domain.cases import (
    DEFAULT_PLAN,
    CaseState,
    CaseTransitionError,
    PlanRules,
    Stage,
    check,
    next_stage,
    stage_reached,
)


@pytest.mark.parametrize(
    ("state", "recorded", "expected"),
    [
        (CaseState.AWAITING_ADMISSION, None, Stage.PENDEKATAN_AWAL),
        (CaseState.ADMITTED, None, Stage.PENGUNGKAPAN_MASALAH),
        (CaseState.ASSESSED, None, Stage.PENYUSUNAN_RENCANA),
        (CaseState.ASSESSED, Stage.PENYUSUNAN_RENCANA, Stage.PEMECAHAN_MASALAH),
        (CaseState.IN_SERVICE, None, Stage.PEMECAHAN_MASALAH),
        (CaseState.IN_SERVICE, Stage.RESOSIALISASI, Stage.TERMINASI),
        (CaseState.OUTCOME, None, None),
    ],
)
def test_the_next_stage_follows_from_the_state_and_the_stage_recorded(
    state: CaseState, recorded: Stage | None, expected: Stage | None
) -> None:
    assert next_stage(state, recorded) == expected


def test_due_dates_scale_with_the_categorys_target_service_period() -> None:
    assert list(DEFAULT_PLAN.due_days("gepeng").values()) == [0, 3, 5, 9, 12, 14]
    assert list(DEFAULT_PLAN.due_days("anak_jalanan").values()) == [0, 3, 5, 18, 26, 30]
    short = PlanRules(assessment_days=2, plan_days=3, default_service_days=4)
    assert list(short.due_days("x").values()) == [0, 2, 5, 5, 5, 5]  # never before the plan
    admitted = datetime(2026, 11, 1, 3, tzinfo=UTC)
    assert DEFAULT_PLAN.due("gepeng", admitted, Stage.TERMINASI) == datetime(
        2026, 11, 15, 3, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("state", "recorded", "reached"),
    [
        (CaseState.AWAITING_ADMISSION, None, None),
        (CaseState.ADMITTED, None, Stage.PENDEKATAN_AWAL),
        (CaseState.ADMITTED, Stage.PENYUSUNAN_RENCANA, Stage.PENYUSUNAN_RENCANA),
        (CaseState.IN_SERVICE, Stage.PENGUNGKAPAN_MASALAH, Stage.PENYUSUNAN_RENCANA),
        (CaseState.CLOSED, None, Stage.TERMINASI),
    ],
)
def test_the_stage_reached_is_the_later_of_the_recorded_and_the_implied(
    state: CaseState, recorded: Stage | None, reached: Stage | None
) -> None:
    assert stage_reached(state, recorded) == reached


@pytest.mark.parametrize(
    ("current", "allowed"),
    [
        (CaseState.AWAITING_ADMISSION, {CaseState.ADMITTED, CaseState.OUTCOME}),
        (CaseState.ADMITTED, {CaseState.ASSESSED, CaseState.OUTCOME}),
        (CaseState.ASSESSED, {CaseState.IN_SERVICE, CaseState.OUTCOME}),
        (CaseState.IN_SERVICE, {CaseState.OUTCOME}),
        (CaseState.OUTCOME, {CaseState.CLOSED}),
        (CaseState.CLOSED, set()),
    ],
)
def test_a_case_moves_forward_one_step_or_to_its_outcome(
    current: CaseState, allowed: set[CaseState]
) -> None:
    for wanted in CaseState:
        if wanted in allowed:
            assert check(current, wanted) == wanted
        else:
            with pytest.raises(CaseTransitionError):
                check(current, wanted)


def test_a_category_without_its_own_target_takes_the_default() -> None:
    rules = PlanRules(service_days={"gepeng": 7}, default_service_days=21)
    assert (rules.target("gepeng"), rules.target("anak_jalanan")) == (7, 21)
