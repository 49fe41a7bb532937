"""The incident state machine: forward paths, cancellation, terminal states, field actions."""

from __future__ import annotations

from itertools import pairwise

import pytest

from services.dispatch.domain.states import (
    ACTION_STATE,
    OPEN,
    OUTCOMES,
    TERMINAL,
    WORKING,
    IllegalTransition,
    allowed,
    check,
)
from shared.contracts.vocabulary import FieldAction, IncidentState

S = IncidentState
MAIN_LINE = [S.RECEIVED, S.QUEUED, S.ASSIGNED, S.ACKNOWLEDGED, S.EN_ROUTE, S.ON_SCENE]
ALL_OUTCOMES = [S.SECURED, S.NOT_FOUND, S.RESOLVED_ON_SITE, S.REFUSED, S.REFERRED]


# ------------------------------------------------------------------ the sets of states
def test_the_five_outcomes() -> None:
    assert set(ALL_OUTCOMES) == OUTCOMES


def test_closed_and_cancelled_are_terminal() -> None:
    assert {S.CLOSED, S.CANCELLED} == TERMINAL


def test_open_is_every_state_but_the_terminal_ones() -> None:
    assert set(S) == OPEN | TERMINAL
    assert not OPEN & TERMINAL


def test_a_team_holds_the_incident_from_assignment_to_on_scene() -> None:
    assert {S.ASSIGNED, S.ACKNOWLEDGED, S.EN_ROUTE, S.ON_SCENE} == WORKING


# ------------------------------------------------------------------ forward paths
@pytest.mark.parametrize(("current", "wanted"), list(pairwise(MAIN_LINE)))
def test_each_step_of_the_main_line_is_allowed(current: S, wanted: S) -> None:
    assert allowed(current, wanted)
    assert check(current, wanted) is wanted


@pytest.mark.parametrize("outcome", ALL_OUTCOMES)
def test_every_outcome_is_reachable_on_scene(outcome: S) -> None:
    assert check(S.ON_SCENE, outcome) is outcome


@pytest.mark.parametrize("outcome", ALL_OUTCOMES)
def test_every_outcome_closes(outcome: S) -> None:
    assert check(outcome, S.CLOSED) is S.CLOSED


@pytest.mark.parametrize("outcome", ALL_OUTCOMES)
def test_the_whole_lifecycle_through_each_outcome_is_allowed(outcome: S) -> None:
    state = S.RECEIVED
    for wanted in [*MAIN_LINE[1:], outcome, S.CLOSED]:
        state = check(state, wanted)
    assert state is S.CLOSED


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (S.RECEIVED, S.ASSIGNED),  # assigned straight away, never queued
        (S.ASSIGNED, S.EN_ROUTE),  # a later button counts as acceptance
        (S.ASSIGNED, S.ON_SCENE),
        (S.ACKNOWLEDGED, S.ON_SCENE),
        (S.EN_ROUTE, S.NOT_FOUND),  # nobody there on the way
    ],
)
def test_allowed_shortcuts(current: S, wanted: S) -> None:
    assert check(current, wanted) is wanted


@pytest.mark.parametrize("current", [S.ASSIGNED, S.ACKNOWLEDGED, S.EN_ROUTE, S.ON_SCENE])
def test_a_held_incident_can_be_reassigned_or_requeued(current: S) -> None:
    assert allowed(current, S.ASSIGNED)
    assert allowed(current, S.QUEUED)


# ------------------------------------------------------------------ cancellation
@pytest.mark.parametrize("current", sorted(OPEN))
def test_cancelled_is_reachable_from_every_open_state(current: S) -> None:
    assert check(current, S.CANCELLED) is S.CANCELLED


@pytest.mark.parametrize("current", sorted(TERMINAL))
def test_cancelled_is_reachable_from_no_terminal_state(current: S) -> None:
    assert not allowed(current, S.CANCELLED)
    with pytest.raises(IllegalTransition):
        check(current, S.CANCELLED)


# ------------------------------------------------------------------ terminal states
@pytest.mark.parametrize("current", sorted(TERMINAL))
@pytest.mark.parametrize("wanted", list(S))
def test_nothing_leaves_a_terminal_state(current: S, wanted: S) -> None:
    assert not allowed(current, wanted)


# ------------------------------------------------------------------ illegal jumps
@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (S.RECEIVED, S.SECURED),
        (S.RECEIVED, S.CLOSED),
        (S.RECEIVED, S.ON_SCENE),
        (S.QUEUED, S.ON_SCENE),
        (S.QUEUED, S.QUEUED),
        (S.ASSIGNED, S.SECURED),
        (S.ASSIGNED, S.CLOSED),
        (S.EN_ROUTE, S.SECURED),
        (S.ON_SCENE, S.CLOSED),
        (S.ON_SCENE, S.EN_ROUTE),
        (S.SECURED, S.ON_SCENE),
        (S.SECURED, S.NOT_FOUND),
        (S.CLOSED, S.ASSIGNED),
        (S.CANCELLED, S.QUEUED),
    ],
)
def test_an_illegal_jump_raises_illegal_transition(current: S, wanted: S) -> None:
    assert not allowed(current, wanted)
    with pytest.raises(IllegalTransition) as raised:
        check(current, wanted)
    assert raised.value.current is current
    assert raised.value.wanted is wanted


def test_the_illegal_transition_message_names_both_states() -> None:
    with pytest.raises(IllegalTransition, match="closed → assigned is not allowed"):
        check(S.CLOSED, S.ASSIGNED)


def test_illegal_transition_is_a_value_error() -> None:
    assert issubclass(IllegalTransition, ValueError)


@pytest.mark.parametrize("state", sorted(set(S) - {S.RECEIVED}))
def test_nothing_goes_back_to_received(state: S) -> None:
    assert not allowed(state, S.RECEIVED)


# ------------------------------------------------------------------ field actions
def test_every_field_action_has_a_state() -> None:
    assert set(ACTION_STATE) == set(FieldAction)


def test_a_note_changes_no_state() -> None:
    assert ACTION_STATE[FieldAction.NOTE] is None


@pytest.mark.parametrize(
    ("action", "state"),
    [
        (FieldAction.ACCEPT, S.ACKNOWLEDGED),
        (FieldAction.EN_ROUTE, S.EN_ROUTE),
        (FieldAction.ON_SCENE, S.ON_SCENE),
        (FieldAction.SECURED, S.SECURED),
        (FieldAction.NOT_FOUND, S.NOT_FOUND),
    ],
)
def test_field_buttons_move_the_incident(action: FieldAction, state: S) -> None:
    assert ACTION_STATE[action] is state


def test_the_field_buttons_in_order_walk_an_assigned_incident_to_secured() -> None:
    state = S.ASSIGNED
    for action in [
        FieldAction.ACCEPT,
        FieldAction.EN_ROUTE,
        FieldAction.ON_SCENE,
        FieldAction.SECURED,
    ]:
        wanted = ACTION_STATE[action]
        assert wanted is not None
        state = check(state, wanted)
    assert state is S.SECURED


def test_a_supervisor_may_record_an_outcome_the_team_reported_by_phone() -> None:
    assert not allowed(IncidentState.ASSIGNED, IncidentState.RESOLVED_ON_SITE)
    assert allowed(IncidentState.ASSIGNED, IncidentState.RESOLVED_ON_SITE, supervisor=True)
    assert not allowed(IncidentState.QUEUED, IncidentState.SECURED, supervisor=True)
    assert not allowed(IncidentState.CLOSED, IncidentState.REFERRED, supervisor=True)
