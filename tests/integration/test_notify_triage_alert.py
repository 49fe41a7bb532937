"""Notify on the real broker with the Telegram stand-in: a P1 report waiting in intake's triage
queue (``report.awaiting_triage`` on trc.reports.v1) is said at once in the region's
supervisors' chat, first in the sender's queue, and so is how it ended (``report.triaged``); the
topic's other events are read and skipped."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlmodel import select

from services.notify.models import Chat, Delivery
from shared.contracts.events import ReportAwaitingTriage, ReportReceived, ReportTriaged
from tests.integration.notify_support import Notify, running_notify

pytestmark = pytest.mark.integration
SUPERVISORS = -2002


@pytest.fixture
async def notify(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> AsyncIterator[Notify]:
    async with running_notify(kafka_bootstrap, topic_prefix, new_database("notify")) as n:
        yield n


async def supervisors_group(n: Notify) -> None:
    """Batam's supervisors' group, in the stand-in and in notify's chats."""
    await n.telegram.control.post(
        "/_standin/chats", json={"id": SUPERVISORS, "type": "group", "title": "Supervisor"}
    )
    async with n.platform.uow() as uow:
        uow.session.add(Chat(chat_id=SUPERVISORS, region_code="21.71", purpose="supervisors"))
        await uow.commit()


async def test_a_p1_waiting_for_triage_is_told_in_the_supervisors_chat(notify: Notify) -> None:
    n = notify
    await supervisors_group(n)
    await n.publish(ReportReceived.model_validate(ReportReceived.EXAMPLE))  # not notify's
    await n.publish(ReportAwaitingTriage.model_validate(ReportAwaitingTriage.EXAMPLE))
    [told] = await n.bot_messages(SUPERVISORS, 1)
    text = told["text"]
    assert text.startswith("🔴 P1 MENUNGGU TRIASE — belum ada tim yang bisa dikirim: lokasi")
    assert "Diterima: 23 Nov 2026 01.40 WIB" in text
    assert "Laporan: Tolong ada bayi ditinggal sendirian di emperan toko" in text
    assert "/triase" in text
    async with n.platform.sessions() as session:
        rows = (await session.exec(select(Delivery))).all()
    assert [(r.chat_id, r.purpose, r.priority) for r in rows] == [(SUPERVISORS, "notice", 1)]


async def test_how_an_announced_p1_ended_is_told_in_the_supervisors_chat(notify: Notify) -> None:
    n = notify
    await supervisors_group(n)
    await n.publish(ReportTriaged.model_validate(ReportTriaged.EXAMPLE))
    [told] = await n.bot_messages(SUPERVISORS, 1)
    text = told["text"]
    assert text.startswith("⚠️ P1 dari antrean triase DIABAIKAN oleh rina (01.52 WIB): alasan «")
    assert "Laporan: Tolong ada bayi ditinggal sendirian di emperan toko" in text
    async with n.platform.sessions() as session:
        rows = (await session.exec(select(Delivery))).all()
    assert [(r.chat_id, r.purpose, r.priority) for r in rows] == [(SUPERVISORS, "notice", 1)]
