"""Which changes edit a team's assignment message (each edit is one of the group's 18 calls a
minute): accepted, finished and released do — what the team must do changes, or its buttons go;
the intermediate states do not (the member who pressed has them as the press's answer, and the
message shows them with its next edit). A message or edit still pending is rendered as it stands
when it goes: the latest status, and its buttons only while open."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from telegram import Bot

from services.notify.models import AssignmentMessage, Delivery
from services.notify.projections import FINISHED, edits_now
from services.notify.sender import Sender
from services.notify.settings import NotifySettings
from shared.metrics import Metrics
from tests.unit.notify.test_sender_budget import NOW

GROUP = -100


@pytest.mark.parametrize("state", sorted(FINISHED))
def test_a_finished_incident_edits_the_message_at_once(state: str) -> None:
    assert edits_now("status", state)  # its buttons go: nothing more to press


@pytest.mark.parametrize(
    "state", ["received", "queued", "assigned", "acknowledged", "en_route", "on_scene"]
)
def test_an_intermediate_state_is_no_edit_of_its_own(state: str) -> None:
    assert not edits_now("status", state)


def test_accepted_and_released_edit_the_message() -> None:
    assert edits_now("acknowledged")  # taken, and by whom: the others need not go
    assert edits_now("released")  # no longer this team's: its buttons go


class Session:
    def __init__(self, message: AssignmentMessage | None) -> None:
        self.message = message

    async def get(self, _model: Any, _key: Any) -> AssignmentMessage | None:
        return self.message


def sender() -> Sender:
    settings = NotifySettings()
    platform: Any = SimpleNamespace(metrics=Metrics("notify"), service="notify")
    return Sender(
        platform, Bot(settings.token, base_url=settings.api_base_url), settings, lambda: NOW
    )


def message(**extra: Any) -> AssignmentMessage:
    return AssignmentMessage(assignment_id="asg-1", chat_id=GROUP, token="tok", incident_id="inc-1",
                             number="B-1", region_code="21.71", team_id="team-a", body="Tugas B-1",
                             **extra)  # fmt: skip


def row(purpose: str, method: str) -> Delivery:
    return Delivery(event_id="e", chat_id=GROUP, purpose=purpose, method=method, text="Tugas B-1",
                    markup={"inline_keyboard": []}, assignment_id="asg-1", next_attempt_at=NOW,
                    created_at=NOW)  # fmt: skip


async def test_an_assignment_not_sent_yet_goes_with_its_latest_status() -> None:
    # accepted, on the way and secured while the message waited for the group's budget: one call
    pending = message(status="Diamankan oleh Anggota 1", open=False)
    text, markup, _ = await sender()._render(Session(pending), row("assignment", "sendMessage"))
    assert text == "Tugas B-1\n\nStatus: Diamankan oleh Anggota 1"
    assert markup is None  # finished: no buttons


async def test_an_open_assignment_keeps_its_buttons_and_an_edit_shows_the_latest() -> None:
    s = sender()
    accepted = message(status="Terima oleh Anggota 1", message_id=7)
    text, markup, _ = await s._render(Session(accepted), row("assignment", "sendMessage"))
    assert text.endswith("Status: Terima oleh Anggota 1") and markup is not None
    # on scene since (no edit of its own): the next edit carries it
    accepted.status = "Tiba oleh Anggota 2"
    text, markup, message_id = await s._render(Session(accepted), row("edit", "editMessageText"))
    assert text.endswith("Status: Tiba oleh Anggota 2") and markup is not None and message_id == 7


async def test_a_notice_goes_as_it_was_written() -> None:
    notice = row("notice", "sendMessage")
    assert await sender()._render(Session(message()), notice) == (notice.text, notice.markup, None)
