"""The buttons' callback data: the wire format of messages already in the teams' chats, what a
press's data is read as — good, malformed or naming no known action — and the simulator
pressing the very buttons notify renders."""

from __future__ import annotations

import pytest

from services.notify.texts import buttons
from shared.contracts.buttons import CODES, Press, callback_data, parse_callback_data
from shared.contracts.vocabulary import FieldAction
from trc.simulator.play import _button

TOKEN = "Xy12_-ab34CDefGH"  # the shape of secrets.token_urlsafe(12)
WIRE = {
    FieldAction.ACCEPT: "t",
    FieldAction.EN_ROUTE: "m",
    FieldAction.ON_SCENE: "b",
    FieldAction.SECURED: "d",
    FieldAction.NOT_FOUND: "n",
    FieldAction.NOTE: "c",
}


@pytest.mark.parametrize(("action", "code"), WIRE.items())
def test_a_button_carries_its_one_letter_code_a_colon_and_the_token(
    action: FieldAction, code: str
) -> None:
    assert callback_data(action, TOKEN) == f"{code}:{TOKEN}"
    assert callback_data(action.value, TOKEN) == f"{code}:{TOKEN}"


def test_every_field_action_has_a_button_in_keyboard_order() -> None:
    assert list(CODES) == list(WIRE) == list(FieldAction)


@pytest.mark.parametrize("action", list(FieldAction))
def test_the_callback_data_of_a_button_is_read_back_as_its_press(action: FieldAction) -> None:
    assert parse_callback_data(callback_data(action, TOKEN)) == Press(action, TOKEN)


def test_data_sent_before_the_contract_existed_is_read_the_same() -> None:
    assert parse_callback_data("t:abc") == Press(FieldAction.ACCEPT, "abc")
    assert parse_callback_data("c:abc") == Press(FieldAction.NOTE, "abc")


def test_everything_after_the_first_colon_is_the_token() -> None:
    assert parse_callback_data("d:a:b") == Press(FieldAction.SECURED, "a:b")


@pytest.mark.parametrize("data", [None, "", "t", "t:", ":abc", "abc", "accept:abc"])
def test_malformed_callback_data_is_no_press(data: str | None) -> None:
    assert parse_callback_data(data) is None


@pytest.mark.parametrize("data", ["x:abc", "T:abc", "tt:abc", " t:abc"])
def test_an_unknown_action_code_is_no_press(data: str) -> None:
    assert parse_callback_data(data) is None


@pytest.mark.parametrize("action", list(FieldAction))
def test_the_simulator_finds_the_button_notify_renders_for_each_action(action: FieldAction) -> None:
    message = {"reply_markup": buttons(TOKEN, "id")}
    assert _button(message, action) == callback_data(action, TOKEN)


def test_the_simulator_finds_no_accept_button_on_a_check_in() -> None:
    message = {"reply_markup": buttons(TOKEN, "en", only=("secured", "not_found", "note"))}
    assert _button(message, FieldAction.ACCEPT) is None
    assert _button(message, FieldAction.SECURED) == f"d:{TOKEN}"
