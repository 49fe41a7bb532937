"""The rehabilitation stages: what a case's state already says, what comes next, and when each
stage is due."""

from datetime import UTC, datetime

import pytest

from services.shelter.domain.cases import DEFAULT_PLAN, CaseState, PlanRules, Stage, next_stage


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
