"""The rehabilitation plan's rules: which entry moves a case on, each stage's due date, done and
late, and which cases are overdue — on plain values, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.shelter.domain.cases import DEFAULT_PLAN, CaseError, CaseState, PlanRules, Stage
from services.shelter.domain.plan import after_entry, days_between, late, overdue, plan

ADMITTED = datetime(2026, 11, 1, 3, tzinfo=UTC)


@dataclass(frozen=True)
class Facts:
    state: str = "admitted"
    stage: str | None = None
    category: str = "gepeng"  # 14 days: stages due on days 0, 3, 5, 9, 12, 14
    admitted_at: datetime | None = ADMITTED
    shelter_id: str | None = "rs-1"
    id: str = "case-1"


@dataclass(frozen=True)
class Step:
    kind: str
    at: datetime
    detail: dict[str, Any] = field(default_factory=dict)


def day(n: float) -> datetime:
    return ADMITTED + timedelta(days=n)


@pytest.mark.parametrize(
    ("state", "kind", "moves_to"),
    [
        ("admitted", "assessment", CaseState.ASSESSED),
        ("assessed", "service", CaseState.IN_SERVICE),
        ("assessed", "assessment", None),  # a second assessment changes nothing
        ("admitted", "service", None),  # a service before the assessment is only noted
        ("in_service", "service", None),
        ("admitted", "note", None),
        ("awaiting_admission", "note", None),
        ("awaiting_admission", "tracing", None),
    ],
)
def test_an_entry_moves_the_case_on_only_from_the_state_before(
    state: str, kind: str, moves_to: CaseState | None
) -> None:
    assert after_entry(Facts(state=state), kind) == moves_to


@pytest.mark.parametrize("kind", ["assessment", "service"])
def test_assessing_or_serving_before_admission_is_refused(kind: str) -> None:
    with pytest.raises(CaseError, match="admit the person first"):
        after_entry(Facts(state="awaiting_admission"), kind)


@pytest.mark.parametrize("state", ["outcome", "closed"])
@pytest.mark.parametrize("kind", ["note", "assessment", "stage"])
def test_nothing_is_added_to_an_ended_case(state: str, kind: str) -> None:
    with pytest.raises(CaseError, match="correction is needed"):
        after_entry(Facts(state=state), kind, Stage.PENGUNGKAPAN_MASALAH)


@pytest.mark.parametrize(
    ("state", "recorded", "stage", "moves_to"),
    [
        ("admitted", None, Stage.PENGUNGKAPAN_MASALAH, CaseState.ASSESSED),
        ("assessed", None, Stage.PENYUSUNAN_RENCANA, None),
        ("assessed", "penyusunan_rencana", Stage.PEMECAHAN_MASALAH, CaseState.IN_SERVICE),
        ("in_service", None, Stage.PEMECAHAN_MASALAH, None),
        ("in_service", "pemecahan_masalah", Stage.RESOSIALISASI, None),
    ],
)
def test_each_stage_is_done_in_turn_and_two_of_them_move_the_case(
    state: str, recorded: str | None, stage: Stage, moves_to: CaseState | None
) -> None:
    assert after_entry(Facts(state=state, stage=recorded), "stage", stage) == moves_to


@pytest.mark.parametrize(
    ("state", "recorded", "stage", "why"),
    [
        ("awaiting_admission", None, Stage.PENDEKATAN_AWAL, "admit the person first"),
        ("admitted", None, Stage.PENDEKATAN_AWAL, "stage pendekatan_awal is already done"),
        ("in_service", None, Stage.PENGUNGKAPAN_MASALAH, "already done"),  # the state says so
        ("admitted", None, Stage.PENYUSUNAN_RENCANA, "the next stage is pengungkapan_masalah"),
        ("in_service", "resosialisasi", Stage.TERMINASI, "recorded with the outcome"),
    ],
)
def test_a_stage_out_of_turn_is_refused_saying_why(
    state: str, recorded: str | None, stage: Stage, why: str
) -> None:
    with pytest.raises(CaseError, match=why):
        after_entry(Facts(state=state, stage=recorded), "stage", stage)


def test_there_is_no_plan_before_admission() -> None:
    assert plan(Facts(state="awaiting_admission", admitted_at=None), [], DEFAULT_PLAN, day(1)) == []


def test_the_plan_lists_every_stage_with_its_due_date() -> None:
    found = plan(Facts(), [Step("admission", ADMITTED)], DEFAULT_PLAN, day(1))
    assert [p.stage for p in found] == [s.value for s in Stage]
    assert [p.due_at for p in found] == [day(n) for n in (0, 3, 5, 9, 12, 14)]
    assert [p.done for p in found] == [True, False, False, False, False, False]
    assert found[0].done_at == ADMITTED
    assert not any(p.late for p in found)


def test_a_stage_not_done_by_its_due_date_is_late() -> None:
    found = plan(Facts(), [Step("admission", ADMITTED)], DEFAULT_PLAN, day(3.5))
    assert [p.late for p in found] == [False, True, False, False, False, False]


def test_a_stage_done_after_its_due_date_stays_late_and_the_first_entry_counts() -> None:
    steps = [
        Step("admission", ADMITTED),
        Step("assessment", day(4)),  # due on day 3
        Step("stage", day(4.5), {"stage": "penyusunan_rencana"}),  # due on day 5
        Step("assessment", day(6)),  # a second assessment does not move the date
    ]
    found = plan(Facts(state="assessed", stage="penyusunan_rencana"), steps, DEFAULT_PLAN, day(6))
    assert [p.done for p in found[:4]] == [True, True, True, False]
    assert [p.done_at for p in found[:3]] == [ADMITTED, day(4), day(4.5)]
    assert [p.late for p in found[:4]] == [False, True, False, False]  # problem solving: day 9


def test_a_stage_the_state_implies_is_done_even_without_its_entry() -> None:
    found = plan(Facts(state="in_service"), [], DEFAULT_PLAN, day(1))
    assert [p.done for p in found] == [True, True, True, False, False, False]
    assert [p.done_at for p in found[:3]] == [None, None, None]


def test_an_ended_case_has_every_stage_done() -> None:
    steps = [Step("admission", ADMITTED), Step("outcome", day(20))]
    found = plan(Facts(state="outcome"), steps, DEFAULT_PLAN, day(30))
    assert all(p.done for p in found)
    assert found[-1].done_at == day(20) and found[-1].late  # terminated after day 14


def test_the_plan_follows_the_rules_given() -> None:
    rules = PlanRules(assessment_days=1, plan_days=1, default_service_days=10)
    found = plan(Facts(category="anak_jalanan"), [], rules, day(0))
    assert [p.due_at for p in found] == [day(n) for n in (0, 1, 2, 6, 9, 10)]


def test_a_case_on_time_is_not_late() -> None:
    assert late(Facts(), DEFAULT_PLAN, day(3)) is None  # due at the end of day 3, not before


def test_a_case_past_its_next_stage_is_late_by_the_days_since() -> None:
    found = late(Facts(state="assessed"), DEFAULT_PLAN, day(7.25))
    assert found is not None
    assert (found.stage, found.due_at, found.days_late) == ("penyusunan_rencana", day(5), 2.2)
    assert (found.case_id, found.shelter_id, found.days_in_shelter) == ("case-1", "rs-1", 7.2)


@pytest.mark.parametrize(
    "facts",
    [
        Facts(state="awaiting_admission", admitted_at=None),
        Facts(state="outcome"),
        Facts(state="closed"),
        Facts(admitted_at=None),  # odd row: in a shelter with no admission date
    ],
)
def test_a_case_not_in_a_shelter_is_never_overdue(facts: Facts) -> None:
    assert late(facts, DEFAULT_PLAN, day(100)) is None


def test_overdue_cases_come_most_late_first() -> None:
    cases = [
        Facts(id="a", admitted_at=day(-4)),
        Facts(id="b", admitted_at=day(-10)),
        Facts(id="c", admitted_at=day(0)),
        Facts(id="d", admitted_at=day(-6)),
    ]
    assert [c.case_id for c in overdue(cases, DEFAULT_PLAN, day(0))] == ["b", "d", "a"]


def test_days_are_counted_to_a_tenth() -> None:
    assert days_between(day(0), day(1.26)) == 1.3
    assert days_between(day(2), day(0)) == -2.0
