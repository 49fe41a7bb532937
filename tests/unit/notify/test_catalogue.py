"""The message catalogue: every text in Bahasa Indonesia and English with the same blanks to
fill, and the bot's replies taken from it rather than written beside the handlers."""

from __future__ import annotations

from pathlib import Path
from string import Formatter

import pytest

from services.notify import texts

BOT = Path(texts.__file__).parent / "bot"
BOT_REPLIES = [
    "help", "register_usage", "group_linked", "no_open_tasks", "lapor_usage", "share_location",
    "lapor_first", "report_received", "unknown_region", "on_duty", "nobody_on_duty",
    "duty_unknown", "gone", "not_allowed", "note_ask", "recorded",
]  # fmt: skip


def blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def test_both_languages_have_the_same_texts_with_the_same_blanks() -> None:
    assert texts.WORDS["id"].keys() == texts.WORDS["en"].keys()
    for key, indonesian in texts.WORDS["id"].items():
        assert blanks(indonesian) == blanks(texts.WORDS["en"][key]), key


@pytest.mark.parametrize("key", BOT_REPLIES)
def test_every_reply_of_the_bot_is_in_the_catalogue(key: str) -> None:
    assert texts.WORDS["id"][key] != texts.WORDS["en"][key]


def test_the_bot_chooses_no_language_itself() -> None:
    for path in BOT.glob("*.py"):
        source = path.read_text()
        assert 'lang == "' not in source and '"id"' not in source, path.name


def test_the_replies_fill_their_blanks() -> None:
    assert texts.word("id", "group_linked", team="Tim A Batam Kota") == (
        "Grup ini terhubung dengan Tim A Batam Kota."
    )
    assert texts.word("en", "group_linked", team="Tim A Batam Kota") == (
        "This group is linked to Tim A Batam Kota."
    )


def test_an_open_task_is_one_line_with_its_status_or_an_ellipsis() -> None:
    body = "🔴 P1 · Anak jalanan\nNomor: 21.71-261122-0001"
    assert texts.open_task_line("21.71-261122-0001", body, "Tiba (22 Nov 2026 20.06 WIB)") == (
        "• 21.71-261122-0001: 🔴 P1 · Anak jalanan — Tiba (22 Nov 2026 20.06 WIB)"
    )
    assert texts.open_task_line("21.71-261122-0001", body, "") == (
        "• 21.71-261122-0001: 🔴 P1 · Anak jalanan — …"
    )
