"""The callback data of the buttons on an assignment's Telegram message: which field action a
press means and on which message. Rendered by notify, parsed by notify when pressed, and
pressed by the simulator — the one definition of the wire format.

The format is ``<code>:<token>``: a one-letter code for the action, a colon, then the message's
token. The token is random (notify keeps which assignment it belongs to), so a button cannot be
forged to name another assignment; the assignment and incident ids never travel in it. Messages
already in the teams' chats carry this format: it must not change.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.contracts.vocabulary import FieldAction

SEPARATOR = ":"
# In keyboard order: the codes are on the wire, the order is how the buttons are laid out.
CODES: dict[FieldAction, str] = {
    FieldAction.ACCEPT: "t",  # Terima
    FieldAction.EN_ROUTE: "m",  # Menuju lokasi
    FieldAction.ON_SCENE: "b",  # Tiba (berada di lokasi)
    FieldAction.SECURED: "d",  # Diamankan
    FieldAction.NOT_FOUND: "n",  # Tidak ditemukan
    FieldAction.NOTE: "c",  # Catatan
}
ACTIONS: dict[str, FieldAction] = {code: action for action, code in CODES.items()}


@dataclass(frozen=True)
class Press:
    """What a pressed button asks: ``action`` on the message whose buttons carry ``token``."""

    action: FieldAction
    token: str


def callback_data(action: FieldAction | str, token: str) -> str:
    """``accept`` on token ``Xy12…`` → ``t:Xy12…``."""
    return f"{CODES[FieldAction(action)]}{SEPARATOR}{token}"


def parse_callback_data(data: str | None) -> Press | None:
    """The press a button's callback data means; None when it is malformed (no code, no token)
    or names no known action. Everything after the first colon is the token."""
    code, separator, token = (data or "").partition(SEPARATOR)
    action = ACTIONS.get(code)
    if action is None or not separator or not token:
        return None
    return Press(action, token)
