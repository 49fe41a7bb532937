"""The incident state machine. Illegal transitions are refused (and logged by the caller),
never applied."""

from __future__ import annotations

from shared.contracts.vocabulary import FieldAction, IncidentState

S = IncidentState
OUTCOMES = frozenset({S.SECURED, S.NOT_FOUND, S.RESOLVED_ON_SITE, S.REFUSED, S.REFERRED})
TERMINAL = frozenset({S.CLOSED, S.CANCELLED})
WORKING = frozenset({S.ASSIGNED, S.ACKNOWLEDGED, S.EN_ROUTE, S.ON_SCENE})  # a team holds it
OPEN = frozenset(set(S) - TERMINAL)
WAITING = (S.RECEIVED.value, S.QUEUED.value)  # state values of an incident no team holds yet

_FORWARD: dict[IncidentState, frozenset[IncidentState]] = {
    S.RECEIVED: frozenset({S.QUEUED, S.ASSIGNED}),
    S.QUEUED: frozenset({S.ASSIGNED}),
    # A later button counts as acceptance: a team that presses "Tiba" has accepted.
    S.ASSIGNED: frozenset({S.ASSIGNED, S.QUEUED, S.ACKNOWLEDGED, S.EN_ROUTE, S.ON_SCENE}),
    S.ACKNOWLEDGED: frozenset({S.ASSIGNED, S.QUEUED, S.EN_ROUTE, S.ON_SCENE}),
    S.EN_ROUTE: frozenset({S.ASSIGNED, S.QUEUED, S.ON_SCENE, S.NOT_FOUND}),
    S.ON_SCENE: frozenset({S.ASSIGNED, S.QUEUED} | OUTCOMES),
    **{outcome: frozenset({S.CLOSED}) for outcome in OUTCOMES},
}

ACTION_STATE: dict[FieldAction, IncidentState | None] = {
    FieldAction.ACCEPT: S.ACKNOWLEDGED,
    FieldAction.EN_ROUTE: S.EN_ROUTE,
    FieldAction.ON_SCENE: S.ON_SCENE,
    FieldAction.SECURED: S.SECURED,
    FieldAction.NOT_FOUND: S.NOT_FOUND,
    FieldAction.NOTE: None,  # a note changes nothing but the timeline
}


class IllegalTransition(ValueError):
    """This incident cannot go from its state to the one asked."""

    def __init__(self, current: IncidentState, wanted: IncidentState) -> None:
        super().__init__(f"{current.value} → {wanted.value} is not allowed")
        self.current, self.wanted = current, wanted


def allowed(current: IncidentState, wanted: IncidentState, *, supervisor: bool = False) -> bool:
    """``supervisor``: a person who heard from the team by other means may also record an
    outcome for an incident a team holds but has not reported on scene."""
    if wanted == S.CANCELLED:
        return current in OPEN
    if supervisor and current in WORKING and wanted in OUTCOMES:
        return True
    return wanted in _FORWARD.get(current, frozenset())


def check(
    current: IncidentState, wanted: IncidentState, *, supervisor: bool = False
) -> IncidentState:
    if not allowed(current, wanted, supervisor=supervisor):
        raise IllegalTransition(current, wanted)
    return wanted
