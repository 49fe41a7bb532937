"""Notify on the real broker with the Telegram stand-in: an assignment becomes one message with
the right buttons; a member's press becomes a field update and the message shows who did what;
an outsider's press and forged callback data change nothing; the supervisors hear of a chat
that blocked the bot, and dispatch is told once when it blocks and once when it works again."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlmodel import select

from services.notify.app import create_app
from services.notify.models import Chat, Delivery, Duty, KnownTeam
from services.notify.projections import deliver
from services.notify.settings import NotifySettings
from shared.auth import AuthSettings, Role
from shared.contracts.events import (
    AssignmentAcknowledged,
    AssignmentReleased,
    DutyChanged,
    IncidentEscalated,
    IncidentStatusChanged,
    OnDuty,
    ShiftHandover,
)
from shared.contracts.vocabulary import IncidentState, Priority
from shared.platform import Platform
from shared.settings import KafkaSettings
from tests.integration.notify_support import NOW, Notify, assignment, running_notify, team
from tests.support import staff_headers

pytestmark = pytest.mark.integration
GROUP = -1001
AUTH = AuthSettings(secret="n" * 48)


@pytest.fixture
async def notify(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> AsyncIterator[Notify]:
    async with running_notify(kafka_bootstrap, topic_prefix, new_database("notify")) as n:
        yield n


async def linked_group(n: Notify, code: str = "A", chat: int = GROUP, user: int = 1001) -> None:
    team_id = f"team-{code.lower()}"
    await n.publish(team(team_id, code, (user, user + 1)))
    await n.telegram.control.post(
        "/_standin/chats", json={"id": chat, "type": "group", "title": f"Tim {code}"}
    )
    for _ in range(300):  # a member can register the group once notify knows the team
        async with n.platform.sessions() as session:
            if await session.get(KnownTeam, team_id) is not None:
                break
        await asyncio.sleep(0.05)
    await n.say(chat, user, f"/daftar {code}")
    [reply] = await n.bot_messages(chat, 1)
    assert f"terhubung dengan Tim {code}" in reply["text"]


async def test_an_assignment_becomes_one_message_and_presses_come_back(notify: Notify) -> None:
    n = notify
    await linked_group(n)
    await n.publish(assignment(1))
    await n.publish(assignment(1))  # the same event content again: its own event id, same message
    [_, sent, *_] = await n.bot_messages(GROUP, 2)
    text = sent["text"]
    assert "P2 · Odgj terlantar" in text and "21.71-261122-0001" in text
    assert "Baloi Indah, Lubuk Baja" in text and "openstreetmap.org/?mlat=1.1301" in text
    assert "Sumber: telepon call center" in text and "20.05 WIB" in text and "kekerasan" in text
    rows = sent["reply_markup"]["inline_keyboard"]
    labels = [b["text"] for row in rows for b in row]
    assert labels == ["Terima", "Menuju lokasi", "Tiba", "Diamankan", "Tidak ditemukan", "Catatan"]
    accept = rows[0][0]["callback_data"]

    outsider = await n.press(GROUP, sent["message_id"], 9999, accept)
    assert outsider["text"] == "Anda tidak berwenang" and outsider["show_alert"]
    forged = await n.press(GROUP, sent["message_id"], 1001, "t:forged-token")
    assert forged["text"] == "Tugas ini sudah tidak berlaku"
    member = await n.press(GROUP, sent["message_id"], 1001, accept)
    assert member["text"] == "Tercatat: Terima"
    [update] = await n.tail.wait("field.update")
    assert (update["assignment_id"], update["action"], update["member_telegram_id"]) == (
        "asg-1",
        "accept",
        1001,
    )

    await n.publish(AssignmentAcknowledged(assignment_id="asg-1", incident_id="inc-1", team_id="team-a",
                                           member_id="m-1001", acknowledged_at=NOW))  # fmt: skip
    await _edited(n, sent["message_id"], "Status: Terima oleh Anggota 1001 (22 Nov 2026 20.00 WIB)")
    await n.publish(IncidentStatusChanged(incident_id="inc-1", from_state=IncidentState.ON_SCENE,
                                          to_state=IncidentState.SECURED, changed_at=NOW, actor="member:m-1002",
                                          category="odgj_terlantar", people_count=1))  # fmt: skip
    final = await _edited(n, sent["message_id"], "Diamankan oleh Anggota 1002")
    assert "reply_markup" not in final  # finished: no more buttons
    reply = {"chat_id": GROUP, "user": {"id": 1002, "first_name": "b"}, "text": "Sudah di panti"}
    await n.telegram.control.post("/_standin/say", json=reply)  # a plain message: not a note
    assert len(n.tail.of("field.update")) == 1


async def _edited(n: Notify, message_id: int, expected: str) -> dict[str, Any]:
    for _ in range(200):
        found = next(m for m in await n.messages(GROUP) if m["message_id"] == message_id)
        if expected in found["text"]:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"message never showed {expected!r}: {found['text']!r}")


async def test_a_group_that_blocked_the_bot_is_reported_to_the_supervisors(notify: Notify) -> None:
    n = notify
    await linked_group(n)
    await n.telegram.control.post(
        "/_standin/chats", json={"id": -2002, "type": "group", "title": "Supervisor"}
    )
    async with n.platform.uow() as uow:
        uow.session.add(Chat(chat_id=-2002, region_code="21.71", purpose="supervisors"))
        await uow.commit()
    await n.telegram.control.post(f"/_standin/chats/{GROUP}/block")
    await n.publish(assignment(2, priority=Priority.P1))
    [notice] = await n.bot_messages(-2002, 1)
    assert "tidak bisa mengirim" in notice["text"] and str(GROUP) in notice["text"]


async def test_a_group_that_blocked_the_bot_is_told_to_dispatch_once_and_again_when_relinked(
    notify: Notify,
) -> None:
    n = notify
    await linked_group(n)
    await n.telegram.control.post(f"/_standin/chats/{GROUP}/block")
    await n.publish(assignment(3))
    [blocked] = await n.tail.wait("telegram.chat_status")
    assert blocked["blocked"] and (blocked["chat_id"], blocked["team_id"]) == (GROUP, "team-a")
    assert (blocked["kind"], blocked["reason"]) == ("team_group", "bot removed from the group")
    async with n.platform.uow() as uow:  # a message already queued meets the block again
        deliver(uow.session, "again", GROUP, "notice", "x", NOW)
        await uow.commit()
    await _settled(n, "again")
    assert len(n.tail.of("telegram.chat_status")) == 1  # told once, not at every send

    await n.telegram.control.post(f"/_standin/chats/{GROUP}/block", params={"blocked": False})
    await n.say(GROUP, 1001, "/daftar A")
    [_, working] = await n.tail.wait("telegram.chat_status", 2)
    assert not working["blocked"] and working["chat_id"] == GROUP
    assert working["reason"] == "group linked again"
    assert set(working) == {"chat_id", "kind", "team_id", "blocked", "reason", "at"}  # no names


async def _settled(n: Notify, event_id: str) -> None:
    for _ in range(200):
        async with n.platform.sessions() as session:
            query = select(Delivery).where(Delivery.event_id == event_id)
            if (found := (await session.exec(query)).first()) and found.state == "failed":
                return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the delivery of {event_id} never failed")


async def test_429_and_5xx_storms_lose_nothing_double_nothing_and_keep_telegrams_limits(
    notify: Notify,
) -> None:
    n = notify
    codes = ["A", "B", "C", "D", "E"]
    for k, code in enumerate(codes):
        await linked_group(n, code, GROUP - k, 1001 + 10 * k)
    await n.telegram.control.post(
        "/_standin/faults", json={"status": 429, "count": 4, "retry_after": 1}
    )
    for m in range(4):
        for k, code in enumerate(codes):
            await n.publish(assignment(100 + 10 * k + m, team_id=f"team-{code.lower()}"))
    # The 429s are spent before the 502s are set (a fixed 1.5 s was too short on a loaded
    # machine: the 502 plan replaced the 429s nobody had met yet).
    for _ in range(600):
        if sum(1 for e in n.telegram.state.log if e["status"] == 429) >= 4:
            break
        await asyncio.sleep(0.05)
    await n.telegram.control.post("/_standin/faults", json={"status": 502, "count": 4})
    for k, _code in enumerate(codes):
        sent = await n.bot_messages(GROUP - k, 5, timeout=60)
        numbers = [
            m["text"].split("Nomor: ")[1].split("\n")[0] for m in sent if "Nomor: " in m["text"]
        ]
        assert sorted(numbers) == [
            f"21.71-261122-{100 + 10 * k + m:04d}" for m in range(4)
        ]  # once each
    log = [e for e in n.telegram.state.log if e["method"] == "sendMessage"]
    assert {e["status"] for e in log} >= {429, 502, 200}
    by_chat: dict[str, list[float]] = {}
    for entry in log:
        by_chat.setdefault(str(entry["chat_id"]), []).append(entry["at"])
    # Arrival times at the stand-in jitter with the machine's load (it shares the event loop;
    # seen: 0.44 s between two calls the sender spaced a second apart, with the suite's workers
    # busy), so the check allows that jitter but not a burst (calls a few milliseconds apart):
    # never two calls to a chat within a quarter second, never more than three within two seconds.
    for times in by_chat.values():
        assert min(b - a for a, b in itertools.pairwise(times)) >= 0.25, "a burst to one chat"
        assert max(sum(1 for t in times if s <= t < s + 2) for s in times) <= 3, (
            "over 1/s to one chat"
        )
    times = sorted(e["at"] for e in log)
    assert max(sum(1 for t in times if start <= t < start + 1) for start in times) <= 30


async def test_members_ask_who_is_on_duty_list_their_tasks_and_file_a_field_report(
    notify: Notify,
) -> None:
    n = notify
    await linked_group(n)
    until = NOW.replace(hour=16)  # 23.00 WIB
    await n.publish(
        DutyChanged(at=NOW, on_duty=[OnDuty(team_id="team-a", code="A", name="Tim A", until=until)])
    )
    await n.publish(assignment(7))
    await n.bot_messages(GROUP, 2)
    private = 1001  # a private chat's id is the user's id
    await n.telegram.control.post(
        "/_standin/chats", json={"id": private, "type": "private", "title": "Andi"}
    )
    for _ in range(100):  # the duty picture arrives on its own topic
        async with n.platform.sessions() as session:
            if await session.get(Duty, "21.71") is not None:
                break
        await asyncio.sleep(0.05)
    await n.say(private, 1001, "/shift")
    [duty] = await n.bot_messages(private, 1)
    assert "Bertugas: Tim A sampai 22 Nov 2026 23.00 WIB" in duty["text"]
    await n.say(private, 1001, "/tugas")
    tasks = await n.bot_messages(private, 2)
    assert "21.71-261122-0007" in tasks[1]["text"]
    await n.say(private, 1001, "/lapor tiga anak mengamen di lampu merah")
    await n.bot_messages(private, 3)
    await n.telegram.control.post(
        "/_standin/say",
        json={"chat_id": private, "user": {"id": 1001}, "latitude": 1.116, "longitude": 104.041},
    )
    [filed] = await n.tail.wait("patrol.report_filed")
    assert filed["description"] == "tiga anak mengamen di lampu merah"
    assert (filed["member_telegram_id"], filed["location"]["latitude"]) == (1001, 1.116)
    await n.say(private, 9999, "/lapor bukan anggota")  # an outsider files nothing
    assert len(n.tail.of("patrol.report_filed")) == 1


async def test_p1_jumps_the_queue_and_releases_escalations_and_handovers_are_told(
    notify: Notify,
) -> None:
    n = notify
    await linked_group(n)
    await n.telegram.control.post(
        "/_standin/chats", json={"id": -2002, "type": "group", "title": "Supervisor"}
    )
    async with n.platform.uow() as uow:
        uow.session.add(Chat(chat_id=-2002, region_code="21.71", purpose="supervisors"))
        await uow.commit()
    for k in range(3):
        await n.publish(assignment(20 + k, priority=Priority.P4))
    await n.publish(assignment(30, priority=Priority.P1))
    sent = await n.bot_messages(GROUP, 5)  # the /daftar reply, then four assignments
    order = [
        m["text"].split("Nomor: ")[1].split("\n")[0][-2:] for m in sent if "Nomor: " in m["text"]
    ]
    assert order.index("30") < order.index("22"), order  # the P1 did not wait behind the P4s

    await n.publish(AssignmentReleased(assignment_id="asg-30", incident_id="inc-30", team_id="team-a",
                                       reason="timed_out", released_at=NOW))  # fmt: skip
    await n.publish(IncidentEscalated(incident_id="inc-30", incident_number="21.71-261122-0030", kind="ack_timeout",
                                      level=1, team_id="team-a", detail="Tim A tidak menerima", escalated_at=NOW))  # fmt: skip
    await n.publish(
        ShiftHandover(at=NOW, leaving_team_ids=["team-a"], arriving_team_ids=["team-b"])
    )
    [escalation] = await n.bot_messages(-2002, 1)
    assert "Eskalasi (tingkat 1) 21.71-261122-0030: Tim A tidak menerima" in escalation["text"]
    texts = [m["text"] for m in await n.bot_messages(GROUP, 7)]
    assert any(
        "21.71-261122-0030 dilepas dari tim Anda: tidak diterima tepat waktu" in t for t in texts
    )
    assert any(t.startswith("Pergantian shift 22 Nov 2026 20.00 WIB") for t in texts)


async def test_settled_deliveries_are_forgotten_after_the_retention(new_database: Any) -> None:
    from datetime import timedelta

    from services.notify.app import create_app
    from services.notify.models import Delivery
    from services.notify.sender import prune
    from services.notify.settings import NotifySettings
    from shared.settings import KafkaSettings

    app = create_app(
        NotifySettings(
            database_url=new_database("notify"), kafka=KafkaSettings(bootstrap="127.0.0.1:1")
        )
    )
    platform = app.state.platform
    await platform.migrate()
    old, recent = NOW - timedelta(days=40), NOW - timedelta(days=1)
    async with platform.uow() as uow:
        for n, (state, at) in enumerate(
            [("sent", old), ("failed", old), ("pending", old), ("sent", recent)]
        ):
            uow.session.add(Delivery(event_id=f"e{n}", chat_id=-1, purpose="notice", text="x", state=state,
                                     next_attempt_at=at, created_at=at))  # fmt: skip
        await uow.commit()
    assert await prune(platform, timedelta(days=30), lambda: NOW) == 2
    async with platform.sessions() as session:
        left = sorted(d.event_id for d in (await session.exec(select(Delivery))).all())
    assert left == ["e2", "e3"]  # a pending one is never forgotten
    await platform.engine.dispose()


@asynccontextmanager
async def http_only(database_url: str) -> AsyncIterator[tuple[Platform, httpx.AsyncClient]]:
    """Notify's HTTP side alone: no broker, no Telegram, the lifespan not started."""
    app = create_app(
        NotifySettings(
            database_url=database_url, auth=AUTH, kafka=KafkaSettings(bootstrap="127.0.0.1:1")
        )
    )
    platform: Platform = app.state.platform
    await platform.migrate()
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://notify") as client:
            yield platform, client
    finally:
        await platform.engine.dispose()


async def test_the_delivery_log_shows_a_supervisor_the_chats_of_their_regions_only(
    new_database: Any,
) -> None:
    async with http_only(new_database("notify")) as (platform, client):
        async with platform.uow() as uow:
            for chat, region in [(-71, "21.71"), (-72, "21.72"), (-73, "73.71")]:
                uow.session.add(Chat(chat_id=chat, region_code=region, purpose="team"))
                uow.session.add(Delivery(event_id=f"e{chat}", chat_id=chat, purpose="notice",
                                         text="x", next_attempt_at=NOW, created_at=NOW))  # fmt: skip
            await uow.commit()

        async def chats(role: Role, region: str) -> list[int]:
            headers = staff_headers(AUTH, role, region)
            response = await client.get("/api/v1/deliveries", headers=headers)
            assert response.status_code == 200
            return sorted(d["chat_id"] for d in response.json())

        assert await chats(Role.SUPERVISOR, "21.71") == [-71]
        assert await chats(Role.SUPERVISOR, "21") == [-72, -71]  # Kepulauan Riau: both cities
        assert await chats(Role.SUPERVISOR, "73.71") == [-73]
        assert await chats(Role.ADMIN, "21.71") == [-73, -72, -71]


async def test_a_chat_id_beyond_64_bits_is_refused_not_a_server_error(new_database: Any) -> None:
    url, headers = "/api/v1/regions/21.71/supervisors-chat", staff_headers(AUTH, Role.SUPERVISOR)
    async with http_only(new_database("notify")) as (_platform, client):  # found by fuzzing
        answers = [
            await client.put(url, json={"chat_id": chat}, headers=headers)
            for chat in (2**63, -(2**63) - 1, -1001234567890)
        ]
    assert [a.status_code for a in answers] == [422, 422, 200]
