"""The stand-in answers python-telegram-bot as Telegram would: messages with buttons, edits,
callback queries, long polling, 429 with retry_after, 5xx, a chat that blocked the bot."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from tests.integration.telegram_support import TOKEN, running_standin

pytestmark = pytest.mark.integration


async def test_python_telegram_bot_sends_edits_and_receives_presses() -> None:
    async with running_standin() as tg:
        await tg.control.post(
            "/_standin/chats", json={"id": -1001, "type": "group", "title": "Tim A"}
        )
        async with Bot(TOKEN, base_url=tg.base_url) as bot:
            assert (await bot.get_me()).username == "trc_dispatch_bot"
            markup = InlineKeyboardMarkup([[InlineKeyboardButton("Terima", callback_data="t:abc")]])
            sent = await bot.send_message(-1001, "Tugas baru", reply_markup=markup)
            pressed = await tg.control.post(
                "/_standin/press",
                json={
                    "chat_id": -1001,
                    "message_id": sent.message_id,
                    "user": {"id": 1001},
                    "data": "t:abc",
                },
            )
            [update] = await bot.get_updates(timeout=1)
            assert update.callback_query is not None and update.callback_query.data == "t:abc"
            assert update.callback_query.from_user.id == 1001
            await bot.answer_callback_query(update.callback_query.id, text="Diterima")
            answer = await tg.control.get(
                f"/_standin/answers/{pressed.json()['callback_query_id']}"
            )
            assert answer.json()["text"] == "Diterima"
            await bot.edit_message_text(
                "Tugas baru — diterima", chat_id=-1001, message_id=sent.message_id
            )
            with pytest.raises(BadRequest, match="not modified"):
                await bot.edit_message_text(
                    "Tugas baru — diterima", chat_id=-1001, message_id=sent.message_id
                )
            assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
            with pytest.raises(BadRequest, match=r"(?i)chat not found"):
                await bot.send_message(-999, "x")


async def test_faults_come_back_as_telegram_reports_them() -> None:
    async with running_standin() as tg:
        await tg.control.post("/_standin/chats", json={"id": 5, "type": "private", "title": "Andi"})
        async with Bot(TOKEN, base_url=tg.base_url) as bot:
            await tg.control.post(
                "/_standin/faults", json={"status": 429, "count": 1, "retry_after": 3}
            )
            with pytest.raises(RetryAfter) as limited:
                await bot.send_message(5, "satu")
            assert limited.value.retry_after == 3
            await tg.control.post("/_standin/faults", json={"status": 502, "count": 1})
            with pytest.raises(NetworkError):
                await bot.send_message(5, "dua")
            await bot.send_message(5, "tiga")
            await tg.control.post("/_standin/chats/5/block")
            with pytest.raises(Forbidden):
                await bot.send_message(5, "empat")
    log = tg.state.log
    assert [entry["status"] for entry in log] == [429, 502, 200, 403]
