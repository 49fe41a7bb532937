"""A local Telegram Bot API stand-in: the methods the notify service uses, a control API for
tests (make chats, speak and press buttons as a member, inject 429/5xx, read the call log) and a
page that shows each chat as its members would see it and lets you press its buttons.

    python -m trc.embedded.telegram --port 8081

Point python-telegram-bot at it with ``Bot(token, base_url="http://127.0.0.1:8081/bot")``.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qsl

import httpx
import uvicorn
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from trc.embedded.telegram.api import call
from trc.embedded.telegram.state import StandIn

PAGE = files("trc.embedded.telegram") / "web"


class NewChat(BaseModel):
    id: int
    type: str = Field(default="group", pattern="^(private|group|supergroup)$")
    title: str | None = None


class Person(BaseModel):
    id: int = Field(ge=1)
    first_name: str = "Anggota"
    username: str | None = None


class Say(BaseModel):
    chat_id: int
    user: Person
    text: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class Press(BaseModel):
    chat_id: int
    message_id: int
    user: Person
    data: str


class FaultPlan(BaseModel):
    status: int = Field(description="429, 500 or 502; 0 ends the storm")
    count: int = Field(default=1, ge=0)
    retry_after: int = Field(default=1, ge=1)


async def _params(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query_params)
    kind = request.headers.get("content-type", "")
    if "json" in kind:
        body = await request.json()
        params.update(body if isinstance(body, dict) else {})
    elif "urlencoded" in kind:  # what python-telegram-bot sends when there is no file
        params.update(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
    return params


async def _deliver_to_webhook(state: StandIn) -> None:
    """With a webhook set, push each update to it in order (as Telegram does), retrying while
    the receiver fails."""
    async with httpx.AsyncClient(timeout=10) as client:
        while True:
            if not (state.webhook_url and state.updates):
                # Woken by a new update or a webhook set (api.py); the second is a backstop.
                state.arrived.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(state.arrived.wait(), 1.0)
                continue
            secret = state.webhook_secret
            headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
            with contextlib.suppress(httpx.HTTPError):
                response = await client.post(
                    state.webhook_url, json=state.updates[0], headers=headers
                )
                if response.status_code < 300:
                    state.updates.pop(0)
                    continue
            await asyncio.sleep(0.5)


# A stop cuts open long polls (getUpdates waits up to 50 s) after this long instead of waiting
# them out: a stopping bot never asks again, so the wait only delays the stop.
STOP_GRACE_S = 1  # uvicorn takes whole seconds


def create_app(state: StandIn | None = None) -> FastAPI:
    state = state or StandIn()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        pusher = asyncio.create_task(_deliver_to_webhook(state))
        yield
        pusher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pusher

    app = FastAPI(title="Telegram Bot API stand-in (TRC Dispatch)", lifespan=lifespan)
    app.state.standin = state
    app.mount("/_standin/web", StaticFiles(directory=str(PAGE)), name="web")

    @app.api_route("/bot{token}/{method}", methods=["GET", "POST"], include_in_schema=False)
    async def bot_api(token: str, method: str, request: Request) -> JSONResponse:
        if not token or ":" not in token:
            return JSONResponse(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, 401
            )
        status, body = await call(state, method, await _params(request))
        return JSONResponse(body, status)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        return HTMLResponse((PAGE / "index.html").read_text(encoding="utf-8"))

    @app.get("/livez")
    async def livez() -> dict[str, str]:
        return {"status": "ok", "service": "telegram-standin"}

    @app.get("/readyz")
    async def readyz() -> dict[str, Any]:
        return {"ready": True}

    @app.get("/_standin/chats")
    async def chats() -> list[dict[str, Any]]:
        return [
            {**c.json(), "blocked": c.blocked, "messages": len(c.messages)}
            for c in state.chats.values()
        ]

    @app.post("/_standin/chats")
    async def new_chat(body: NewChat) -> dict[str, Any]:
        return state.add_chat(body.id, body.type, body.title).json()

    @app.post("/_standin/chats/{chat_id}/block")
    async def block(chat_id: int, blocked: bool = True) -> dict[str, Any]:
        chat = state.chats.get(chat_id)
        if chat is None:
            raise HTTPException(404, "no such chat")
        chat.blocked = blocked
        return chat.json()

    @app.get("/_standin/chats/{chat_id}/messages")
    async def messages(chat_id: int) -> list[dict[str, Any]]:
        chat = state.chats.get(chat_id)
        if chat is None:
            raise HTTPException(404, "no such chat")
        return chat.messages

    @app.post("/_standin/say")
    async def say(body: Say) -> dict[str, Any]:
        chat = state.chats.get(body.chat_id) or state.add_chat(
            body.chat_id, "private", body.user.first_name
        )
        sender = {"id": body.user.id, "is_bot": False, "first_name": body.user.first_name}
        if body.user.username:
            sender["username"] = body.user.username
        state.users[body.user.id] = sender
        content: dict[str, Any] = {}
        if body.text:
            content["text"] = body.text
            if body.text.startswith("/"):
                length = len(body.text.split()[0])
                content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if body.latitude is not None and body.longitude is not None:
            content["location"] = {"latitude": body.latitude, "longitude": body.longitude}
        if not content:
            raise HTTPException(422, "say something: text or a location")
        message = state.message(chat, sender, **content)
        return state.push({"message": message})

    @app.post("/_standin/press")
    async def press(body: Press) -> dict[str, Any]:
        chat = state.chats.get(body.chat_id)
        if chat is None:
            raise HTTPException(404, "no such chat")
        message = next((m for m in chat.messages if m["message_id"] == body.message_id), None)
        if message is None:
            raise HTTPException(404, "no such message")
        sender = {"id": body.user.id, "is_bot": False, "first_name": body.user.first_name}
        if body.user.username:
            sender["username"] = body.user.username
        query_id = secrets.token_hex(8)
        state.answers[query_id] = {"answered": False}
        state.push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": sender,
                    "message": message,
                    "chat_instance": str(chat.id),
                    "data": body.data,
                }
            }
        )
        return {"callback_query_id": query_id}

    @app.get("/_standin/answers/{query_id}")
    async def answer(query_id: str) -> dict[str, Any]:
        return state.answers.get(query_id) or {"answered": False}

    @app.post("/_standin/faults")
    async def faults(plan: FaultPlan) -> dict[str, Any]:
        state.faults.status, state.faults.count, state.faults.retry_after = (
            plan.status,
            plan.count,
            plan.retry_after,
        )
        return {"status": plan.status, "count": plan.count}

    @app.get("/_standin/log")
    async def log(since: int = Query(default=0, ge=0)) -> list[dict[str, Any]]:
        """The sending calls, oldest first; ``since`` skips the first ones (read it in parts)."""
        return state.log[since:]

    @app.get("/_standin/state")
    async def dump() -> dict[str, Any]:
        return {
            "webhook": state.webhook_url,
            "pending_updates": len(state.updates),
            "chats": len(state.chats),
            "users": list(state.users.values()),
        }

    return app


def in_process_server(state: StandIn, port: int) -> uvicorn.Server:
    """The stand-in on 127.0.0.1:``port`` inside this process (tests and benchmarks serve it
    with ``server.serve()``), stopping as quickly as the separate process does."""
    config = uvicorn.Config(
        create_app(state),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=STOP_GRACE_S,
    )
    return uvicorn.Server(config)
