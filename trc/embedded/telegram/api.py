"""The Bot API methods the notify service uses, at ``/bot<token>/<method>`` as Telegram serves
them: parameters as JSON, form fields or query string; answers ``{"ok": true, "result": …}``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from trc.embedded.telegram.state import BOT, ApiError, StandIn

Method = Callable[[StandIn, dict[str, Any]], Awaitable[Any]]
SENDING = {"sendMessage", "editMessageText", "editMessageReplyMarkup"}
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)


def _markup(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(
                400, "Bad Request: can't parse reply keyboard markup JSON object"
            ) from None
    return value


async def get_me(_s: StandIn, _p: dict[str, Any]) -> Any:
    return BOT


async def send_message(s: StandIn, p: dict[str, Any]) -> Any:
    chat = s.chat(p.get("chat_id"))
    if chat.blocked:
        raise ApiError(
            403,
            "Forbidden: bot was kicked from the group chat"
            if chat.type != "private"
            else "Forbidden: bot was blocked by the user",
        )
    text = str(p.get("text") or "")
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(text) > 4096:
        raise ApiError(400, "Bad Request: message is too long")
    content: dict[str, Any] = {"text": text}
    if p.get("reply_markup"):
        content["reply_markup"] = _markup(p["reply_markup"])
    return s.message(chat, BOT, **content)


def _edited(message: dict[str, Any], markup: Any) -> dict[str, Any]:
    """The message with its new buttons (``None``: none left), stamped with the edit's time."""
    if markup is None:
        message.pop("reply_markup", None)
    else:
        message["reply_markup"] = markup
    message["edit_date"] = int(time.time())
    return message


async def edit_message_text(s: StandIn, p: dict[str, Any]) -> Any:
    chat = s.chat(p.get("chat_id"))
    message = s.find(chat, p.get("message_id"))
    text = str(p.get("text") or "")
    markup = _markup(p["reply_markup"]) if p.get("reply_markup") else None
    if text == message.get("text") and markup == message.get("reply_markup"):
        raise ApiError(400, NOT_MODIFIED)
    message["text"] = text
    return _edited(message, markup)


async def edit_message_reply_markup(s: StandIn, p: dict[str, Any]) -> Any:
    chat = s.chat(p.get("chat_id"))
    message = s.find(chat, p.get("message_id"))
    markup = _markup(p["reply_markup"]) if p.get("reply_markup") else None
    return _edited(message, markup)


async def answer_callback_query(s: StandIn, p: dict[str, Any]) -> Any:
    query_id = str(p.get("callback_query_id") or "")
    if query_id not in s.answers:
        raise ApiError(
            400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
        )
    s.answers[query_id] = {
        "answered": True,
        "text": p.get("text"),
        "show_alert": bool(p.get("show_alert")),
    }
    return True


async def get_updates(s: StandIn, p: dict[str, Any]) -> Any:
    if s.webhook_url:
        raise ApiError(
            409,
            WEBHOOK_ACTIVE,
        )
    offset = int(p.get("offset") or 0)
    limit = min(int(p.get("limit") or 100), 100)
    timeout = min(float(p.get("timeout") or 0), 50)
    if offset:
        s.updates = [u for u in s.updates if u["update_id"] >= offset]  # confirmed ones are gone
    deadline = time.monotonic() + timeout
    while True:
        pending = [u for u in s.updates if u["update_id"] >= offset][:limit]
        if pending or time.monotonic() >= deadline:
            return pending
        s.arrived.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(s.arrived.wait(), timeout=max(0.01, deadline - time.monotonic()))


async def set_webhook(s: StandIn, p: dict[str, Any]) -> Any:
    s.webhook_url = str(p.get("url") or "")
    s.webhook_secret = str(p.get("secret_token") or "")
    s.arrived.set()  # updates already waiting go to the new webhook now
    return True


async def delete_webhook(s: StandIn, p: dict[str, Any]) -> Any:
    s.webhook_url = s.webhook_secret = ""
    if str(p.get("drop_pending_updates", "")).lower() in ("true", "1"):
        s.updates.clear()
    return True


async def get_webhook_info(s: StandIn, _p: dict[str, Any]) -> Any:
    return {
        "url": s.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(s.updates),
    }


async def accepted(_s: StandIn, _p: dict[str, Any]) -> Any:
    return True


METHODS: dict[str, Method] = {
    "getMe": get_me,
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "answerCallbackQuery": answer_callback_query,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": accepted,
    "deleteMyCommands": accepted,
    "close": accepted,
    "logOut": accepted,
}


async def call(s: StandIn, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Run one Bot API call: (HTTP status, JSON body), and log sending calls for the tests."""
    handler = METHODS.get(method)
    if handler is None:
        return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
    try:
        if method in SENDING and (fault := s.faults.take()) is not None:
            raise fault
        result = await handler(s, params)
    except ApiError as exc:
        if method in SENDING:
            s.record(method, params.get("chat_id"), exc.code)
        return exc.code, exc.body()
    if method in SENDING:
        message_id = result.get("message_id") if isinstance(result, dict) else None
        s.record(method, params.get("chat_id"), 200, message_id)
    return 200, {"ok": True, "result": result}
