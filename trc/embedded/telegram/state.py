"""The stand-in's memory: chats, messages, updates, faults and a log of every call — shaped
like the Telegram Bot API's own JSON so python-telegram-bot cannot tell the difference."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

BOT = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "TRC Dispatch",
    "username": "trc_dispatch_bot",
}


class ApiError(Exception):
    """An error answer of the Bot API: ``{"ok": false, "error_code": …, "description": …}``."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass
class Chat:
    id: int
    type: str  # private | group | supergroup
    title: str | None = None
    first_name: str | None = None
    blocked: bool = False  # the bot was removed (group) or blocked (private)
    messages: list[dict[str, Any]] = field(default_factory=list)

    def json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title:
            body["title"] = self.title
        if self.first_name:
            body["first_name"] = self.first_name
        return body


@dataclass
class Faults:
    """Answer the next ``count`` sending calls with ``status`` (429 carries ``retry_after``)."""

    status: int = 0
    count: int = 0
    retry_after: int = 1

    def take(self) -> ApiError | None:
        if self.count <= 0 or not self.status:
            return None
        self.count -= 1
        if self.status == 429:
            return ApiError(
                429, f"Too Many Requests: retry after {self.retry_after}", self.retry_after
            )
        return ApiError(
            self.status, "Internal Server Error" if self.status == 500 else "Bad Gateway"
        )


@dataclass
class StandIn:
    chats: dict[int, Chat] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    next_update_id: int = 1
    next_message_id: int = 1
    webhook_url: str = ""
    webhook_secret: str = ""
    faults: Faults = field(default_factory=Faults)
    log: list[dict[str, Any]] = field(default_factory=list)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # callback id → answer
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def chat(self, chat_id: Any) -> Chat:
        try:
            found = self.chats.get(int(chat_id))
        except (TypeError, ValueError):
            found = None
        if found is None:
            raise ApiError(400, "Bad Request: chat not found")
        return found

    def add_chat(self, chat_id: int, kind: str, title: str | None = None) -> Chat:
        chat = self.chats.get(chat_id) or Chat(chat_id, kind)
        chat.type = kind
        if kind == "private":
            chat.first_name = title or chat.first_name or f"user {chat_id}"
        else:
            chat.title = title or chat.title or f"group {chat_id}"
        self.chats[chat_id] = chat
        return chat

    def record(self, method: str, chat_id: Any, status: int, message_id: int | None = None) -> None:
        self.log.append(
            {
                "at": time.time(),
                "method": method,
                "chat_id": chat_id,
                "status": status,
                "message_id": message_id,
            }
        )

    def message(self, chat: Chat, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        message = {
            "message_id": self.next_message_id,
            "date": int(time.time()),
            "chat": chat.json(),
            "from": sender,
            **content,
        }
        self.next_message_id += 1
        chat.messages.append(message)
        return message

    def find(self, chat: Chat, message_id: Any) -> dict[str, Any]:
        for message in chat.messages:
            if str(message["message_id"]) == str(message_id):
                return message
        raise ApiError(400, "Bad Request: message to edit not found")

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": self.next_update_id, **update}
        self.next_update_id += 1
        self.updates.append(update)
        self.arrived.set()
        return update
