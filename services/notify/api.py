"""Notify over HTTP: the supervisors' chat of a region, the delivery log, and the Telegram
webhook (its secret token compared in constant time)."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, status
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement
from sqlmodel import col, select
from telegram import Update

from services.notify.chatstatus import mark_working
from services.notify.models import Chat, Delivery
from shared.auth import Role, Staff, ensure_covers, require
from shared.contracts.envelope import RegionCode
from shared.http import platform_of
from shared.scope import within_any

Supervisor = Annotated[Staff, Depends(require(Role.SUPERVISOR))]


class SupervisorsChat(BaseModel):
    chat_id: int = Field(
        ge=-(2**63), lt=2**63, description="The Telegram group of the region's supervisors"
    )


class DeliveryView(BaseModel):
    id: str
    chat_id: int
    purpose: str
    priority: int
    state: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    error: str | None


def _covered(staff: Staff) -> ColumnElement[bool]:
    """Chats of the regions ``staff`` works in (a province code covers its regencies)."""
    return within_any(Chat.region_code, staff.regions)


def build_api_router() -> APIRouter:
    router = APIRouter(tags=["notify"])

    @router.put("/api/v1/regions/{region_code}/supervisors-chat", response_model=SupervisorsChat)
    async def supervisors_chat(
        region_code: RegionCode, body: SupervisorsChat, request: Request, staff: Supervisor
    ) -> SupervisorsChat:
        ensure_covers(staff, region_code)
        now = request.app.state.clock()
        async with platform_of(request).uow() as uow:
            for old in (
                await uow.session.exec(
                    select(Chat).where(
                        Chat.region_code == region_code, Chat.purpose == "supervisors"
                    )
                )
            ).all():
                await mark_working(uow, old, "replaced by another group", now)
                old.purpose = "retired"
            chat = await uow.session.get(Chat, body.chat_id) or Chat(
                chat_id=body.chat_id, region_code=region_code, purpose="supervisors"
            )
            chat.region_code, chat.purpose, chat.team_id = region_code, "supervisors", None
            uow.session.add(chat)
            await mark_working(uow, chat, "set again as the supervisors' group", now)
            await uow.commit()
        return body

    @router.get(
        "/api/v1/deliveries",
        response_model=list[DeliveryView],
        summary="The delivery log (no message text)",
    )
    async def deliveries(
        request: Request,
        staff: Supervisor,
        state: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> list[DeliveryView]:
        query = select(Delivery).order_by(col(Delivery.created_at).desc()).limit(limit)
        if Role.ADMIN not in staff.roles:  # only the chats of the supervisor's regions
            query = query.join(Chat, col(Chat.chat_id) == col(Delivery.chat_id)).where(
                _covered(staff)
            )
        if state:
            query = query.where(Delivery.state == state)
        async with platform_of(request).sessions() as session:
            rows = (await session.exec(query)).all()
        return [DeliveryView.model_validate(r, from_attributes=True) for r in rows]

    @router.post("/telegram/webhook", include_in_schema=False)
    async def webhook(
        request: Request,
        secret: Annotated[str | None, Header(alias="X-Telegram-Bot-Api-Secret-Token")] = None,
    ) -> dict[str, bool]:
        telegram = request.app.state.telegram
        expected = telegram.settings.webhook_secret.get_secret_value()
        if not expected or not hmac.compare_digest((secret or "").encode(), expected.encode()):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "wrong secret token")
        update = Update.de_json(await request.json(), telegram.application.bot)
        await telegram.application.update_queue.put(update)
        return {"ok": True}

    return router
