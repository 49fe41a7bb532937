"""The assignment policy when no team has room: a P1 borrows the team busy with the least
urgent work, never one holding a P1, and only after free teams and last resorts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from services.dispatch.domain.policy import Held, TeamState, choose_team, plan
from tests.unit.dispatch.policy_support import (
    BATU_AMPAR,
    T0,
    chosen,
    incident,
    team,
)


def busy(team_id: str, *held: Held, zones: frozenset[str] = BATU_AMPAR) -> TeamState:
    return TeamState(team_id, zones, len(held), len(held), holding=held)


def work(priority: str, state: str = "acknowledged", minutes: int = 0) -> Held:
    return Held(f"inc-{priority}-{state}-{minutes}", priority, state, T0 + timedelta(minutes=minutes),
                number=f"21.71-261122-{minutes:04d}")  # fmt: skip


def test_a_p1_nobody_has_room_for_borrows_the_team_busy_with_the_least_urgent_incident() -> None:
    teams = [
        busy("on-p2", work("P2")),
        busy("on-p4", work("P4", minutes=3)),
        busy("on-p3", work("P3")),
    ]
    decision = choose_team(incident("p1", "P1"), teams, T0, borrow=True)
    assert decision is not None and decision.team_id == "on-p4"
    assert decision.borrowed_from == teams[1].holding[0]
    assert (
        "dipinjam dari insiden P4 21.71-261122-0003 (beban 2/1) / borrowed from a P4 incident "
        "21.71-261122-0003 (load 2/1, over capacity)"
    ) in decision.reasons


def test_between_equally_urgent_work_the_least_advanced_then_the_latest_started_is_borrowed() -> (
    None
):
    on_scene = busy("on-scene", work("P3", "on_scene", minutes=9))
    en_route = busy("en-route", work("P3", "en_route", minutes=9))
    early = busy("early", work("P3", "acknowledged", minutes=1))
    late = busy("late", work("P3", "acknowledged", minutes=5))
    assert (
        chosen(
            choose_team(incident("p1", "P1"), [on_scene, en_route, early, late], T0, borrow=True)
        )
        == "late"
    )
    assert (
        chosen(choose_team(incident("p1", "P1"), [on_scene, en_route], T0, borrow=True))
        == "en-route"
    )


def test_a_team_is_as_busy_as_its_most_urgent_incident() -> None:
    mixed = busy("mixed", work("P4"), work("P2"))
    plain = busy("plain", work("P3"))
    assert chosen(choose_team(incident("p1", "P1"), [mixed, plain], T0, borrow=True)) == "plain"


def test_a_team_holding_a_p1_is_never_borrowed() -> None:
    teams = [busy("p1-team", work("P1"), work("P4"))]
    assert choose_team(incident("p1", "P1"), teams, T0, borrow=True) is None


def test_only_a_p1_borrows_and_only_when_the_rules_allow_it() -> None:
    teams = [busy("on-p4", work("P4"))]
    assert choose_team(incident("p2", "P2"), teams, T0, borrow=True) is None
    assert choose_team(incident("p1", "P1"), teams, T0) is None


def test_a_free_team_or_a_last_resort_comes_before_borrowing() -> None:
    free = team("free", capacity=1)
    assert (
        chosen(
            choose_team(incident("p1", "P1"), [busy("on-p4", work("P4")), free], T0, borrow=True)
        )
        == "free"
    )
    missed = incident("p1", "P1", excluded=frozenset({"free"}))
    decision = choose_team(missed, [busy("on-p4", work("P4")), free], T0, borrow=True)
    assert chosen(decision) == "free" and decision is not None and decision.borrowed_from is None


def test_a_team_that_missed_this_p1_is_not_borrowed_within_the_retry_window() -> None:
    p1 = replace(
        incident("p1", "P1", excluded=frozenset({"on-p4"})),
        retry_missed_at=T0 + timedelta(minutes=1),
    )
    teams = [busy("on-p4", work("P4")), busy("on-p2", work("P2"))]
    assert chosen(choose_team(p1, teams, T0, borrow=True)) == "on-p2"
    assert chosen(choose_team(p1, teams, T0 + timedelta(minutes=1), borrow=True)) == "on-p4"
    assert choose_team(p1, teams[:1], T0, borrow=True) is None


def test_two_p1s_borrow_two_teams_and_the_rest_of_the_queue_waits() -> None:
    teams = [busy("on-p4", work("P4")), busy("on-p3", work("P3"))]
    queue = [
        incident("p1-a", "P1"),
        incident("p1-b", "P1", minutes=1),
        incident("p1-c", "P1", minutes=2),
        incident("p2", "P2"),
    ]
    decisions = plan(queue, teams, T0, borrow=True)
    assert [(d.incident_id, d.team_id) for d in decisions] == [("p1-a", "on-p4"), ("p1-b", "on-p3")]
    assert plan(queue, teams, T0) == []
