"""A case's life through the use cases, against the in-memory store: opened once per person,
admitted within capacity, moved on by its entries, ended, closed, corrected; overdue ones found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.shelter.cases import lifecycle
from services.shelter.domain.beds import ShelterFull
from services.shelter.domain.cases import CaseError, CaseTransitionError
from services.shelter.models import Case
from shared.contracts.events import (
    CaseOpened,
    CaseOutcomeRecorded,
    CaseStatusChanged,
    IncidentStatusChanged,
)
from shared.contracts.vocabulary import CaseOutcome
from tests.unit.shelter.fakes import REGION, MemoryCaseStore, a_case

NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)


def secured(people: int = 2, to_state: str = "secured") -> IncidentStatusChanged:
    return IncidentStatusChanged.model_validate(
        {**IncidentStatusChanged.EXAMPLE, "people_count": people, "to_state": to_state}
    )


@pytest.fixture
def store() -> MemoryCaseStore:
    store = MemoryCaseStore()
    store.shelter("rs-1", "Rumah Singgah Batam", male=1, female=2)
    store.shelter("upt-2", "UPT Sekupang", male=3)
    store.shelter("far", "Elsewhere", region="64", male=9)
    return store


async def admitted(store: MemoryCaseStore, section: str = "female") -> Case:
    case = a_case()
    store.add(case)
    return await lifecycle.admit(store, case, "rs-1", section, ["KTP"], "staff", NOW)


async def test_a_secured_incident_opens_one_case_per_person_and_a_replay_none(
    store: MemoryCaseStore,
) -> None:
    assert await lifecycle.on_incident_secured(store, REGION, secured(2), NOW) == 2
    assert await lifecycle.on_incident_secured(store, REGION, secured(3), NOW) == 1
    assert await lifecycle.on_incident_secured(store, REGION, secured(3), NOW) == 0
    assert [c.seq for c in store.cases] == [1, 2, 3]
    assert {c.state for c in store.cases} == {"awaiting_admission"}
    opened = [e for e in store.events if isinstance(e.payload, CaseOpened)]
    assert len(opened) == 3
    assert {(e.region_code, e.correlation_id) for e in opened} == {(REGION, "inc-000001")}


async def test_an_incident_not_secured_opens_no_case(store: MemoryCaseStore) -> None:
    assert await lifecycle.on_incident_secured(store, REGION, secured(2, "on_scene"), NOW) == 0
    assert store.cases == [] and store.events == []


async def test_admission_takes_a_bed_and_is_on_the_timeline(store: MemoryCaseStore) -> None:
    case = await admitted(store)
    assert (case.state, case.shelter_id, case.section) == ("admitted", "rs-1", "female")
    assert case.admitted_at == NOW and case.belongings == ["KTP"]
    assert store.kinds(case) == ["admission"]
    moved = store.events[-1].payload
    assert isinstance(moved, CaseStatusChanged)
    assert (moved.from_state, moved.to_state) == ("awaiting_admission", "admitted")
    free = {(s.shelter_id, s.section): s.free for s in await store.sections(REGION)}
    assert free[("rs-1", "female")] == 1


async def test_a_full_section_is_refused_naming_sections_with_room_most_first(
    store: MemoryCaseStore,
) -> None:
    await admitted(store, "male")
    with pytest.raises(ShelterFull) as refused:
        await admitted(store, "male")
    assert [s.shelter_id for s in refused.value.suggestions] == ["upt-2"]  # not another region
    assert "UPT Sekupang (3 free)" in str(refused.value)


async def test_a_section_the_region_does_not_have_is_refused(store: MemoryCaseStore) -> None:
    with pytest.raises(CaseError, match="no such shelter section"):
        await admitted(store, "children")


async def test_a_person_admitted_twice_is_refused(store: MemoryCaseStore) -> None:
    case = await admitted(store)
    with pytest.raises(CaseTransitionError):
        await lifecycle.admit(store, case, "rs-1", "female", [], "staff", NOW)


async def test_assessment_then_service_move_the_case_and_a_note_does_not(
    store: MemoryCaseStore,
) -> None:
    case = await admitted(store)
    later = NOW + timedelta(days=1)
    await lifecycle.record_entry(store, case, "note", {"text": "calm"}, "staff", later)
    assert case.state == "admitted"
    await lifecycle.record_entry(store, case, "assessment", {}, "staff", later)
    assert (case.state, case.assessed_at) == ("assessed", later)
    await lifecycle.record_entry(store, case, "service", {}, "staff", later)
    assert case.state == "in_service"
    assert store.kinds(case) == ["admission", "note", "assessment", "service"]
    assert [e.payload.to_state for e in store.events] == ["admitted", "assessed", "in_service"]


async def test_an_assessment_before_admission_is_refused(store: MemoryCaseStore) -> None:
    case = a_case()
    with pytest.raises(CaseError, match="admit the person first"):
        await lifecycle.record_entry(store, case, "assessment", {}, "staff", NOW)
    assert store.entries == []


async def test_a_stage_done_is_recorded_and_the_problem_disclosure_assesses(
    store: MemoryCaseStore,
) -> None:
    case = await admitted(store)
    stage = {"stage": "pengungkapan_masalah"}
    await lifecycle.record_entry(store, case, "stage", stage, "staff", NOW)
    assert (case.stage, case.state, case.assessed_at) == ("pengungkapan_masalah", "assessed", NOW)
    with pytest.raises(CaseError, match="already done"):
        await lifecycle.record_entry(store, case, "stage", stage, "staff", NOW)
    assert store.kinds(case) == ["admission", "stage"]


async def test_the_outcome_ends_the_case_with_its_stay_and_is_told(store: MemoryCaseStore) -> None:
    case = await admitted(store)
    ended = NOW + timedelta(days=3, hours=12)
    await lifecycle.record_outcome(
        store, case, CaseOutcome.RETURNED_TO_FAMILY, "with the aunt", None, "staff", ended
    )
    assert (case.state, case.outcome, case.stay_days) == ("outcome", "returned_to_family", 3.5)
    assert store.told()[-2:] == ["CaseStatusChanged", "CaseOutcomeRecorded"]
    told = store.events[-1]
    assert isinstance(told.payload, CaseOutcomeRecorded)
    assert (told.region_code, told.correlation_id) == (REGION, case.incident_id)
    assert store.entries[-1].detail == {"outcome": "returned_to_family", "detail": "with the aunt"}
    with pytest.raises(CaseError, match="correction is needed"):
        await lifecycle.record_entry(store, case, "note", {}, "staff", ended)


async def test_an_outcome_before_admission_has_no_stay(store: MemoryCaseStore) -> None:
    case = a_case()
    await lifecycle.record_outcome(store, case, CaseOutcome.DIED, None, None, "staff", NOW)
    assert (case.state, case.stay_days) == ("outcome", None)


async def test_only_an_ended_case_is_closed(store: MemoryCaseStore) -> None:
    case = await admitted(store)
    with pytest.raises(CaseTransitionError):
        await lifecycle.close(store, case, "staff", NOW)
    await lifecycle.record_outcome(store, case, CaseOutcome.INDEPENDENT, None, None, "staff", NOW)
    await lifecycle.close(store, case, "staff", NOW)
    assert (case.state, case.closed_at) == ("closed", NOW)
    assert store.kinds(case) == ["admission", "outcome", "closed"]


async def test_a_correction_keeps_before_after_who_and_why(store: MemoryCaseStore) -> None:
    case = await admitted(store)
    with pytest.raises(CaseError, match="not corrected"):
        await lifecycle.correct(store, case, "category", "gepeng", "typo", "lead", NOW)
    await lifecycle.record_outcome(store, case, CaseOutcome.INDEPENDENT, None, None, "staff", NOW)
    await lifecycle.correct(store, case, "outcome", "returned_to_family", "misheard", "lead", NOW)
    assert case.outcome == "returned_to_family"
    fixed = store.entries[-1]
    assert (fixed.kind, fixed.by) == ("correction", "lead")
    assert fixed.detail == {
        "field": "outcome",
        "before": "independent",
        "after": "returned_to_family",
        "reason": "misheard",
    }


async def test_overdue_cases_are_those_of_the_region_in_a_shelter_most_late_first(
    store: MemoryCaseStore,
) -> None:
    days = [1, 10, 5]
    for n in days:
        store.add(a_case("admitted", admitted_at=NOW - timedelta(days=n)))
    store.add(a_case("admitted", admitted_at=NOW - timedelta(days=20), region="64"))
    store.add(a_case("outcome", admitted_at=NOW - timedelta(days=20)))
    late = await lifecycle.overdue_cases(store, REGION, NOW)
    assert [item.days_in_shelter for item in late] == [10.0, 5.0]  # assessment due in 3 days
    assert [item.days_late for item in late] == [7.0, 2.0]
    assert {item.stage for item in late} == {"pengungkapan_masalah"}
