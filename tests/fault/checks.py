"""The promises a day under faults must keep, each checked from the services' own databases, the
Telegram stand-in and the dead-letter topics — never from what the services say of themselves.
Each check returns the list of what is wrong (empty: kept)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from shared.contracts.buttons import parse_callback_data
from shared.contracts.vocabulary import FieldAction
from tests.support import fetch

ACTIVE = ("assigned", "acknowledged", "en_route", "on_scene")
WAITING = ("received",)  # queued is fine while every team on duty is full


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def reports_have_incidents(intake: str, dispatch: str, ledger: dict[str, Any]) -> list[str]:
    """Input set = output set: every report intake accepted for dispatch is in exactly one
    incident, every report the simulator was given an id for is stored, nothing is invented."""
    stored = dict(fetch(intake, "SELECT id, status FROM report"))
    linked = fetch(dispatch, "SELECT report_id, incident_id FROM report_link")
    in_incidents = Counter(report for incident in
                           fetch(dispatch, "SELECT report_ids FROM incident")
                           for report in _json(incident[0]))  # fmt: skip
    wrong = []
    for entry in ledger["reports"]:
        if entry["report_id"] and entry["report_id"] not in stored:
            wrong.append(f"report {entry['report_id']} accepted (HTTP) but not stored")
    dispatched = {r for r, status in stored.items() if status in ("open", "linked")}
    in_links = {r for r, _ in linked}
    wrong += [f"report {r} has no incident" for r in sorted(dispatched - in_links)]
    wrong += [f"incident holds unknown report {r}" for r in sorted(in_links - set(stored))]
    wrong += [f"report {r} in {n} incidents" for r, n in in_incidents.items() if n > 1]
    return wrong


def one_current_assignment(dispatch: str) -> list[str]:
    """An incident being worked has exactly one current assignment; a finished one keeps at
    most its completed one; none is left unhandled."""
    rows = fetch(
        dispatch,
        "SELECT i.number, i.state, "
        "(SELECT COUNT(*) FROM assignment a WHERE a.incident_id = i.id AND a.is_current), "
        "(SELECT COUNT(*) FROM assignment a WHERE a.incident_id = i.id AND a.is_current "
        " AND a.state <> 'completed') "
        "FROM incident i",
    )
    wrong = []
    for number, state, current, open_ in rows:
        if state in ACTIVE and (current, open_) != (1, 1):
            wrong.append(f"{number} {state} with {current} current assignments")
        elif state not in ACTIVE and (current > 1 or open_):
            wrong.append(f"{number} {state} still has {open_} open assignments")
        if state in WAITING:
            wrong.append(f"{number} still {state}: never handled")
    return wrong


def one_message_per_assignment(
    dispatch: str, notify: str, messages: dict[int, list[dict[str, Any]]]
) -> list[str]:
    """Each assignment has its one message row in notify, and the stand-in shows each message
    (its buttons' token) at most once across every chat; delivered ones exactly once."""
    assignments = {r[0] for r in fetch(dispatch, "SELECT id FROM assignment")}
    rows = fetch(notify, "SELECT assignment_id, chat_id, token, message_id FROM assignment_message")
    seen = Counter(
        press.token
        for chat in messages.values()
        for message in chat
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
        for button in row[:1]
        if (press := parse_callback_data(str(button.get("callback_data", "")))) is not None
        and press.action == FieldAction.ACCEPT
    )
    uncertain = {
        r[0] for r in fetch(notify, "SELECT assignment_id FROM delivery WHERE state = 'uncertain'")
    }
    wrong = [f"assignment {a} has no message" for a in sorted(assignments - {r[0] for r in rows})]
    per_assignment = Counter(r[0] for r in rows)
    wrong += [f"assignment {a}: {n} message rows" for a, n in per_assignment.items() if n > 1]
    for assignment, _chat, token, message_id in rows:
        shown = seen.get(token, 0)
        if shown > 1:
            wrong.append(f"assignment {assignment} shown {shown} times")
        elif message_id is not None and shown == 0 and assignment not in uncertain:
            # An edit may have removed the buttons of a finished task: look for the message id.
            found = any(m["message_id"] == message_id for c in messages.values() for m in c)
            if not found:
                wrong.append(f"assignment {assignment} sent but not in the chat")
    return wrong


def actions_applied_once(dispatch: str) -> list[str]:
    rows = fetch(dispatch, "SELECT incident_id, detail FROM incident_log WHERE kind='field_update'")
    presses = Counter(
        (incident, _json(detail).get("action"), _json(detail).get("pressed_at"))
        for incident, detail in rows
    )
    return [f"press {key[1]} on {key[0]} applied {n} times" for key, n in presses.items() if n > 1]


def secured_people_have_cases(dispatch: str, shelter: str) -> list[str]:
    secured = fetch(
        dispatch,
        "SELECT id, number, people_count FROM incident WHERE state = 'secured'",
    )
    cases = Counter(r[0] for r in fetch(shelter, "SELECT incident_id FROM shelter_case"))
    wrong = []
    for incident, number, people in secured:
        if cases.get(incident, 0) != people:
            wrong.append(f"{number}: {people} secured, {cases.get(incident, 0)} cases")
    known = {r[0] for r in secured}
    wrong += [f"case of unsecured incident {i}" for i in cases if i not in known]
    return wrong


def figures_match_recount(
    figures: dict[str, Any], dispatch: str, ledger: dict[str, Any]
) -> list[str]:
    """Shelter's figures against what dispatch secured and what the staff recorded."""
    rows = figures["figures"]
    opened = {r["key"]: r["value"] for r in rows if r["figure"] == "opened_by_category"}
    outcomes = {r["key"]: r["value"] for r in rows if r["figure"] == "outcome"}
    recount: Counter[str] = Counter()
    for category, people in fetch(
        dispatch, "SELECT category, people_count FROM incident WHERE state = 'secured'"
    ):
        recount[category] += people
    recorded: Counter[str] = Counter()
    for entry in ledger["outcomes"]:
        recorded[entry["outcome"]] += entry["count"]
    wrong = []
    if dict(recount) != opened:
        wrong.append(f"opened by category {opened} != secured people {dict(recount)}")
    if dict(recorded) != outcomes:
        wrong.append(f"outcomes {outcomes} != recorded by the staff {dict(recorded)}")
    return wrong


def slow_restarts(restarts: dict[str, list[float]], limit_s: float) -> list[str]:
    """Every killed service answered /readyz 200 again within ``limit_s`` of its SIGKILL."""
    return [f"{name} ready {s:.1f}s after SIGKILL" for name, times in restarts.items()
            for s in times if s > limit_s]  # fmt: skip
