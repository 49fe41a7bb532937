"""The assignment policy: queue order, choice of team, capacity, and the reasons given."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.dispatch.domain.policy import (
    NEVER,
    Decision,
    choose_team,
    plan,
    queue_order,
    zone_key,
)
from shared.contracts.vocabulary import Priority
from tests.unit.dispatch.policy_support import (
    BATU_AMPAR,
    LUBUK_BAJA,
    SEKUPANG,
    T0,
    chosen,
    incident,
    team,
)


# ------------------------------------------------------------------ zone_key
@pytest.mark.parametrize(
    "raw", ["Batu Ampar", "batu ampar", "BATU AMPAR", "  Batu   Ampar ", "Batu\tAmpar\n"]
)
def test_zone_key_ignores_case_and_extra_spaces(raw: str) -> None:
    assert zone_key(raw) == "batu ampar"


def test_zone_key_keeps_kecamatan_codes_as_they_are() -> None:
    assert zone_key("21.71.05") == "21.71.05"
    assert zone_key(" 21.71.05 ") == "21.71.05"


@pytest.mark.parametrize("raw", [None, ""])
def test_a_missing_zone_has_no_key(raw: str | None) -> None:
    assert zone_key(raw) is None


def test_a_blank_zone_name_has_no_key() -> None:
    assert zone_key("   ") is None


# ------------------------------------------------------------------ queue order
def test_p1_is_assigned_before_an_older_p2() -> None:
    older_p2 = incident("old-p2", "P2", minutes=0)
    newer_p1 = incident("new-p1", "P1", minutes=30)
    assert [i.incident_id for i in queue_order([older_p2, newer_p1])] == ["new-p1", "old-p2"]


def test_the_queue_runs_p1_p2_p3_p4() -> None:
    queue = [
        incident("p4", "P4", minutes=0),
        incident("p3", "P3", minutes=1),
        incident("p2", "P2", minutes=2),
        incident("p1", "P1", minutes=3),
    ]
    assert [i.incident_id for i in queue_order(queue)] == ["p1", "p2", "p3", "p4"]


def test_the_oldest_comes_first_within_a_priority() -> None:
    queue = [
        incident("late", "P3", minutes=20),
        incident("early", "P3", minutes=5),
        incident("middle", "P3", minutes=10),
    ]
    assert [i.incident_id for i in queue_order(queue)] == ["early", "middle", "late"]


def test_incidents_received_together_are_ordered_by_id() -> None:
    queue = [incident("b", "P2"), incident("a", "P2")]
    assert [i.incident_id for i in queue_order(queue)] == ["a", "b"]


def test_queue_order_accepts_the_priority_enum() -> None:
    queue = [incident("p3", Priority.P3), incident("p1", Priority.P1, minutes=9)]
    assert [i.incident_id for i in queue_order(queue)] == ["p1", "p3"]


# ------------------------------------------------------------------ choose_team
def test_a_team_covering_the_zone_is_preferred_over_a_less_loaded_team_elsewhere() -> None:
    local = team("local", BATU_AMPAR, capacity=2, load=1)
    elsewhere = team("elsewhere", SEKUPANG, capacity=2, load=0)
    decision = choose_team(incident("i1", zones=BATU_AMPAR), [elsewhere, local])
    assert chosen(decision) == "local"


def test_a_zone_matches_through_the_kecamatan_code_alone() -> None:
    by_code = team("by-code", frozenset({"21.71.02"}), load=1)
    idle = team("idle", SEKUPANG)
    assert chosen(choose_team(incident("i1", zones=BATU_AMPAR), [idle, by_code])) == "by-code"


def test_among_zone_matches_the_least_loaded_relative_to_capacity_wins() -> None:
    half_full = team("half", capacity=2, load=1)  # 1/2
    third_full = team("third", capacity=3, load=1)  # 1/3
    assert chosen(choose_team(incident("i1"), [half_full, third_full])) == "third"


def test_relative_load_beats_absolute_load() -> None:
    small = team("small", capacity=2, load=1)  # 50 %
    big = team("big", capacity=5, load=2)  # 40 %
    assert chosen(choose_team(incident("i1"), [small, big])) == "big"


def test_a_tie_goes_to_the_team_free_longest() -> None:
    recently = team("recent", free_since=T0 - timedelta(minutes=5))
    long_ago = team("long-ago", free_since=T0 - timedelta(hours=3))
    decision = choose_team(incident("i1"), [recently, long_ago])
    assert chosen(decision) == "long-ago"
    assert decision is not None
    assert "free longest" in decision.reasons


def test_a_never_busy_team_counts_as_free_longest() -> None:
    busy_before = team("busy-before", free_since=T0 - timedelta(hours=8))
    never_busy = team("never-busy", free_since=None)
    decision = choose_team(incident("i1"), [busy_before, never_busy])
    assert chosen(decision) == "never-busy"
    assert decision is not None
    assert "never busy yet" in decision.reasons


def test_never_is_the_earliest_possible_instant() -> None:
    assert datetime.min.replace(tzinfo=UTC) == NEVER


def test_a_full_tie_is_broken_by_team_id() -> None:
    assert chosen(choose_team(incident("i1"), [team("tim-b"), team("tim-a")])) == "tim-a"


def test_zone_match_outweighs_having_been_free_longer() -> None:
    local = team("local", free_since=T0)
    elsewhere = team("elsewhere", SEKUPANG, free_since=T0 - timedelta(days=1))
    assert chosen(choose_team(incident("i1"), [elsewhere, local])) == "local"


def test_load_outweighs_having_been_free_longer() -> None:
    loaded = team("loaded", load=1, free_since=None)
    idle = team("idle", load=0, free_since=T0 - timedelta(minutes=1))
    assert chosen(choose_team(incident("i1"), [loaded, idle])) == "idle"


def test_a_team_at_capacity_gets_nothing_more() -> None:
    full = team("full", capacity=2, load=2)
    elsewhere = team("elsewhere", SEKUPANG, capacity=2, load=1)
    assert chosen(choose_team(incident("i1"), [full, elsewhere])) == "elsewhere"


def test_choose_team_returns_none_when_no_team_has_room() -> None:
    teams = [team("a", capacity=1, load=1), team("b", SEKUPANG, capacity=2, load=2)]
    assert choose_team(incident("i1"), teams) is None


def test_choose_team_returns_none_without_teams() -> None:
    assert choose_team(incident("i1"), []) is None


def test_a_team_that_missed_it_is_passed_over_while_another_has_room() -> None:
    missed = team("missed", BATU_AMPAR, load=0)
    other = team("other", SEKUPANG, load=1)
    decision = choose_team(incident("i1", excluded=frozenset({"missed"})), [missed, other], T0)
    assert chosen(decision) == "other"
    assert decision is not None
    assert "after 1 missed" in decision.reasons


def test_a_team_that_missed_it_is_not_offered_it_again_before_the_retry_time() -> None:
    just_missed = incident("i1", excluded=frozenset({"a"}))
    waiting = replace(just_missed, retry_missed_at=T0 + timedelta(seconds=60))
    assert choose_team(waiting, [team("a")], T0 + timedelta(seconds=59)) is None


def test_a_team_that_missed_it_is_the_last_resort_once_the_retry_time_has_passed() -> None:
    missed = replace(
        incident("i1", excluded=frozenset({"a"})), retry_missed_at=T0 + timedelta(seconds=60)
    )
    decision = choose_team(missed, [team("a"), team("b", load=2)], T0 + timedelta(seconds=60))
    assert chosen(decision) == "a"
    assert decision is not None
    assert "last resort: missed it before, no other team has room" in decision.reasons


def test_the_last_resort_waits_while_any_team_that_did_not_miss_it_has_room() -> None:
    missed = replace(incident("i1", excluded=frozenset({"a"})), retry_missed_at=T0)
    decision = choose_team(missed, [team("a"), team("b", SEKUPANG, load=1)], T0)
    assert chosen(decision) == "b"
    assert decision is not None
    assert not any(r.startswith("last resort") for r in decision.reasons)


def test_among_teams_that_all_missed_it_the_usual_ranking_chooses() -> None:
    every = replace(incident("i1", excluded=frozenset({"a", "b"})), retry_missed_at=T0)
    teams = [team("a", SEKUPANG), team("b", BATU_AMPAR)]
    assert chosen(choose_team(every, teams, T0 + timedelta(minutes=5))) == "b"


def test_choose_team_returns_none_when_every_team_missed_it_moments_ago() -> None:
    teams = [team("a"), team("b", SEKUPANG)]
    every = replace(
        incident("i1", excluded=frozenset({"a", "b"})), retry_missed_at=T0 + timedelta(minutes=1)
    )
    assert choose_team(every, teams, T0) is None


def test_plan_gives_the_last_resort_only_after_the_others_filled_up() -> None:
    missed = replace(incident("i2", minutes=1, excluded=frozenset({"a"})), retry_missed_at=T0)
    decisions = plan([incident("i1"), missed], [team("a", capacity=1), team("b", capacity=1)], T0)
    assert [(d.incident_id, d.team_id) for d in decisions] == [("i1", "a"), ("i2", "b")]
    busy_b = [team("a", capacity=1), team("b", capacity=1, load=1)]
    assert [(d.incident_id, d.team_id) for d in plan([missed], busy_b, T0)] == [("i2", "a")]


# ------------------------------------------------------------------ reasons
def test_the_reasons_name_the_zone_match_and_the_load() -> None:
    decision = choose_team(incident("i1"), [team("local", capacity=2, load=0)])
    assert decision == Decision("i1", "local", ("zone match", "load 0/2"))


def test_the_load_reason_shows_load_before_assignment_over_capacity() -> None:
    decision = choose_team(incident("i1"), [team("local", capacity=3, load=1)])
    assert decision is not None
    assert "load 1/3" in decision.reasons


def test_the_reasons_say_when_no_free_team_covers_the_zone() -> None:
    decision = choose_team(incident("i1", zones=BATU_AMPAR), [team("far", SEKUPANG)])
    assert decision is not None
    assert decision.reasons == ("no free team covers the zone", "load 0/2")


def test_the_reasons_say_when_the_zone_is_unknown() -> None:
    decision = choose_team(incident("i1", zones=frozenset()), [team("any")])
    assert decision is not None
    assert decision.reasons[0] == "zone unknown"


def test_a_team_with_the_zone_but_no_room_makes_the_choice_fall_elsewhere() -> None:
    decision = choose_team(incident("i1"), [team("local", load=2), team("far", SEKUPANG)])
    assert decision is not None
    assert decision.team_id == "far"
    assert decision.reasons[0] == "no free team covers the zone"


def test_the_free_longest_reason_only_appears_on_a_tie() -> None:
    decision = choose_team(
        incident("i1"),
        [team("idle", free_since=T0), team("busy", load=1, free_since=T0 - timedelta(days=1))],
    )
    assert decision is not None
    assert decision.team_id == "idle"
    assert "free longest" not in decision.reasons
    assert "never busy yet" not in decision.reasons


# ------------------------------------------------------------------ plan
def test_a_team_with_capacity_one_takes_only_one_incident_of_a_burst() -> None:
    burst = [incident(f"i{n}", "P2", minutes=n) for n in range(4)]
    decisions = plan(burst, [team("solo", capacity=1)])
    assert [(d.incident_id, d.team_id) for d in decisions] == [("i0", "solo")]


def test_plan_spreads_a_burst_by_load() -> None:
    burst = [incident(f"i{n}", "P2", minutes=n) for n in range(4)]
    decisions = plan(burst, [team("a", capacity=2), team("b", capacity=2)])
    assert [(d.incident_id, d.team_id) for d in decisions] == [
        ("i0", "a"),
        ("i1", "b"),
        ("i2", "a"),
        ("i3", "b"),
    ]


def test_plan_never_goes_over_capacity() -> None:
    burst = [incident(f"i{n}", "P3", minutes=n) for n in range(10)]
    teams = [team("a", capacity=2, load=1), team("b", SEKUPANG, capacity=3)]
    decisions = plan(burst, teams)
    per_team = {t.team_id: sum(d.team_id == t.team_id for d in decisions) for t in teams}
    assert per_team == {"a": 1, "b": 3}
    assert len(decisions) == 4


def test_plan_assigns_in_queue_order_so_p1_gets_the_last_slot() -> None:
    queue = [incident("old-p3", "P3", minutes=0), incident("new-p1", "P1", minutes=10)]
    decisions = plan(queue, [team("solo", capacity=1)])
    assert [d.incident_id for d in decisions] == ["new-p1"]


def test_plan_reports_the_load_each_decision_saw() -> None:
    burst = [incident("i0"), incident("i1", minutes=1)]
    decisions = plan(burst, [team("solo", capacity=2)])
    assert [d.reasons[1] for d in decisions] == ["load 0/2", "load 1/2"]


def test_plan_skips_an_incident_whose_only_free_team_missed_it_moments_ago() -> None:
    missed = incident("missed-by-a", "P1", excluded=frozenset({"a"}))
    queue = [replace(missed, retry_missed_at=T0 + timedelta(minutes=1)), incident("fine", "P2")]
    decisions = plan(queue, [team("a", capacity=1)], T0)
    assert [(d.incident_id, d.team_id) for d in decisions] == [("fine", "a")]
    later = plan(queue, [team("a", capacity=1)], T0 + timedelta(minutes=1))
    assert [(d.incident_id, d.team_id) for d in later] == [("missed-by-a", "a")]


def test_plan_with_no_room_assigns_nothing() -> None:
    assert plan([incident("i0")], [team("full", capacity=1, load=1)]) == []


def test_plan_with_an_empty_queue_assigns_nothing() -> None:
    assert plan([], [team("a")]) == []


def test_plan_does_not_change_the_teams_it_was_given() -> None:
    teams = [team("a", capacity=2)]
    plan([incident("i0"), incident("i1", minutes=1)], teams)
    assert teams[0].load == 0


def test_plan_sends_each_incident_to_its_own_zone_team() -> None:
    queue = [
        incident("ba", "P2", minutes=0, zones=BATU_AMPAR),
        incident("lb", "P2", minutes=1, zones=LUBUK_BAJA),
    ]
    teams = [team("tim-lb", LUBUK_BAJA), team("tim-ba", BATU_AMPAR)]
    decisions = plan(queue, teams)
    assert {d.incident_id: d.team_id for d in decisions} == {"ba": "tim-ba", "lb": "tim-lb"}
