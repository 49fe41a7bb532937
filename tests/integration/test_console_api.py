"""The supervisors' console on the real broker and both databases: the board and its broken
promises, what a call-center account may not see, the live stream fed by the group-less watch,
shelter's shelters and cases copied into dispatch, notify's blocked chats, and the period's
figures."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from aiokafka import AIOKafkaProducer
from fastapi import FastAPI

from services.dispatch.app import create_app
from services.dispatch.settings import DispatchSettings
from services.shelter.app import create_app as create_shelter_app
from services.shelter.settings import ShelterSettings
from shared.auth import Role
from shared.contracts.events import (
    CaseOpened,
    CaseOutcomeRecorded,
    CaseStatusChanged,
    Location,
    TelegramChatStatusChanged,
)
from shared.contracts.vocabulary import CaseOutcome, Priority
from shared.platform import Platform
from shared.service import Server
from shared.settings import KafkaSettings
from tests.integration.dispatch_support import (
    AUTH,
    PAGI,
    REGION,
    Dispatch,
    ManualClock,
    Tail,
    report,
    set_up_batam,
)
from tests.support import staff_headers
from trc.embedded.broker import free_port

pytestmark = pytest.mark.integration
TODAY = "2026-11-22"
ROSTER = [{"day": TODAY, "shift": "pagi", "team_code": "A"}]


@dataclass
class Console:
    d: Dispatch
    app: FastAPI
    server: Server
    kafka: KafkaSettings

    async def get(self, path: str, role: Role = Role.SUPERVISOR, region: str = REGION) -> Any:
        response = await self.d.client.get(path, headers=staff_headers(AUTH, role, region))
        return response

    async def until(self, path: str, check: Any, timeout: float = 15) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            body = (await self.get(path)).json()
            if check(body) or time.monotonic() > deadline:
                return body
            await asyncio.sleep(0.1)


@asynccontextmanager
async def serving(
    kafka_bootstrap: str, topic_prefix: str, database_url: str, **settings: Any
) -> AsyncIterator[Console]:
    """Dispatch behind a real HTTP server (a stream needs one), with a clock moved by hand."""
    kafka = KafkaSettings(
        bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, session_timeout_ms=6000
    )
    clock = ManualClock()
    app = create_app(
        DispatchSettings(database_url=database_url, kafka=kafka, auth=AUTH, **settings),
        clock=clock,
    )
    platform: Platform = app.state.platform
    port = free_port()
    server = Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serve = asyncio.create_task(server.serve())
    tail = Tail(kafka, ["trc.assignments.v1", "trc.incidents.v1"])
    tailing = asyncio.create_task(tail.run())
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap)
    await producer.start()
    try:
        for _ in range(1200):
            if server.started and platform.connected and app.state.console_watch.ready.is_set():
                break
            await asyncio.sleep(0.05)
        assert app.state.console_watch.ready.is_set(), "the console's watch did not start"
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            yield Console(Dispatch(platform, client, clock, tail, producer), app, server, kafka)
    finally:
        await producer.stop()
        tailing.cancel()
        server.should_exit = True
        await asyncio.gather(serve, tailing, return_exceptions=True)


async def test_the_board_flags_an_overdue_acceptance_and_keeps_personal_data_from_the_call_center(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> None:
    # No sweep during the test: the overdue assignment must stay as it is to be seen on the board.
    async with serving(
        kafka_bootstrap, topic_prefix, new_database("dispatch"), sweep_seconds=3600
    ) as c:
        d = c.d
        await set_up_batam(d, ROSTER)
        where = Location(kecamatan="Lubuk Baja", address="Jl. Teuku Umar")
        await d.publish(report(1, priority=Priority.P2, location=where))
        await d.publish(report(2, priority=Priority.P2, duplicate_of="rep-0001"))
        await d.publish(report(3, priority=Priority.P1, kecamatan="Sekupang"))
        await d.tail.wait("assignment.created", 2)
        path = f"/api/v1/console/board?region={REGION}"
        board = await c.until(path, lambda b: len(b["incidents"]) == 2)
        assert (board["zone"], board["arrival_target_minutes"]) == ("WIB", 45)
        first, second = board["incidents"]
        assert [first["priority"], second["priority"]] == ["P1", "P2"]  # most urgent first
        assert second["duplicates"] == 1 and second["team_name"] == "Tim A Lubuk Baja"
        assert second["state"] == "assigned" and second["breaches"] == []
        assert second["description"] and second["address"] == "Jl. Teuku Umar"
        assert second["ack_deadline"].endswith("Z") and second["case"] is None

        d.clock.advance(seconds=301)  # P2: five minutes to accept
        board = (await c.get(path)).json()
        late = next(r for r in board["incidents"] if r["incident_id"] == second["incident_id"])
        assert late["breaches"] == ["ack_overdue"]

        call_center = (await c.get(path, Role.CALL_CENTER)).json()["incidents"]
        assert {(r["description"], r["address"]) for r in call_center} == {(None, None)}
        detail = await c.get(f"/api/v1/incidents/{second['incident_id']}", Role.CALL_CENTER)
        assert (detail.json()["description"], detail.json()["cases"]) == (None, [])
        listed = await c.get(f"/api/v1/incidents?region_code={REGION}", Role.CALL_CENTER)
        assert {(i["description"], i["address"]) for i in listed.json()} == {(None, None)}
        province = (await c.get("/api/v1/console/board?region=21", region="21")).json()
        assert len(province["incidents"]) == 2
        assert board["regions_without_team"] == province["regions_without_team"] == []
        tanjungpinang = await c.get("/api/v1/console/board?region=21.72", region="21.72")
        assert tanjungpinang.json()["regions_without_team"] == ["21.72"]  # the banner's words
        assert tanjungpinang.json()["region_names"] == {"21.72": "Kota Tanjung Pinang"}  # named
        assert board["region_names"] == {}
        elsewhere = await c.get(path, region="73.71")
        assert elsewhere.status_code == 403

        figures = (await c.get(f"/api/v1/console/figures?region={REGION}&period=today")).json()
        assert figures["reports_by_channel"] == {"call_center": 3}
        assert figures["incidents"] == 2
        assert figures["times"]["report_to_assigned"]["count"] == 2
        assert figures["from"] == "2026-11-21T17:00:00Z"  # local midnight, WIB
        csv = await c.get(f"/api/v1/console/figures?region={REGION}&period=month&format=csv")
        assert csv.headers["content-type"].startswith("text/csv")
        assert "incidents,all,2" in csv.text.splitlines()

        teams = (await c.get(f"/api/v1/console/teams?region={REGION}")).json()
        by_code = {t["code"]: t for t in teams["teams"]}
        assert teams["on_duty_now"] == ["A"] and by_code["A"]["on_duty"]
        assert by_code["A"]["status"] == "full" and by_code["A"]["load"] == 2
        assert by_code["B"]["status"] == "off_duty"
        assert teams["gaps_next_24h"]  # only the morning shift is rostered


def _chat(chat_id: int, team_id: str | None, blocked: bool, at: datetime) -> Any:
    return TelegramChatStatusChanged(
        chat_id=chat_id,
        kind="team_group" if team_id else "supervisors",
        team_id=team_id,
        blocked=blocked,
        reason="bot removed from the group" if blocked else "group linked again",
        at=at,
    )


async def test_a_chat_that_blocked_the_bot_shows_on_the_teams_page_until_it_works_again(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> None:
    async with serving(
        kafka_bootstrap, topic_prefix, new_database("dispatch"), sweep_seconds=3600
    ) as c:
        team_ids = await set_up_batam(c.d, ROSTER)
        since = PAGI - timedelta(minutes=5)
        await c.d.publish(_chat(-1001, team_ids["A"], True, since))
        path = f"/api/v1/console/teams?region={REGION}"
        teams = await c.until(path, lambda t: t["blocked_chats"])
        [found] = teams["blocked_chats"]
        assert (found["team_id"], found["team_code"], found["kind"]) == (
            team_ids["A"],
            "A",
            "team_group",
        )
        assert found["reason"] == "bot removed from the group"
        assert datetime.fromisoformat(found["since"]) == since
        assert teams["teams"] and "gaps_next_24h" in teams  # everything else is still there

        # An older event arriving late changes nothing (the supervisors' chat marks it read).
        await c.d.publish(_chat(-1001, team_ids["A"], False, since - timedelta(minutes=1)))
        await c.d.publish(_chat(-2002, None, True, since + timedelta(minutes=1)))
        teams = await c.until(path, lambda t: len(t["blocked_chats"]) == 2)
        assert [b["team_code"] for b in teams["blocked_chats"]] == ["A", None]
        province = await c.get(
            "/api/v1/console/teams?region=21", Role.PROVINCIAL_SUPERVISOR, region="21"
        )
        assert [b["region_code"] for b in province.json()["blocked_chats"]] == [REGION] * 2

        await c.d.publish(_chat(-1001, team_ids["A"], False, PAGI))
        teams = await c.until(path, lambda t: len(t["blocked_chats"]) == 1)
        assert [b["kind"] for b in teams["blocked_chats"]] == ["supervisors"]


async def _events(response: httpx.Response) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    event = ""
    async for line in response.aiter_lines():
        if line.startswith("event: "):
            event = line[len("event: ") :]
        elif line.startswith("data: "):
            yield event, json.loads(line[len("data: ") :])


async def test_the_stream_pushes_a_new_report_and_ends_when_the_server_stops(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> None:
    async with serving(
        kafka_bootstrap, topic_prefix, new_database("dispatch"), sweep_seconds=0.2
    ) as c:
        d = c.d
        await set_up_batam(d, ROSTER)
        headers = staff_headers(AUTH, Role.CALL_CENTER, REGION)
        url = f"/api/v1/console/stream?region={REGION}"
        async with d.client.stream("GET", url, headers=headers) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            events = _events(response)
            for _ in range(100):  # the subscription is taken as the response starts
                if c.app.state.console_hub.subscribers:
                    break
                await asyncio.sleep(0.02)
            sent = time.monotonic()
            await d.publish(report(7))
            kind, row = await asyncio.wait_for(anext(events), 5)
            took = time.monotonic() - sent
            assert kind == "incident" and row["number"].startswith("21.71-261122-")
            assert row["description"] is None  # a call-center stream
            # Pushed, not waiting for a reload; how fast is `bench console`'s figure (a timed
            # bound here only measures how busy the machine is).
            assert took < 5.0, f"{took:.2f} s from report.received to the stream"

            await d.api(
                "POST", f"/api/v1/incidents/{row['incident_id']}/cancel", json={"reason": "ganda"}
            )
            kind, data = await asyncio.wait_for(anext(events), 5)
            while kind != "removed":
                kind, data = await asyncio.wait_for(anext(events), 5)
            assert data == {"incident_id": row["incident_id"]}

            stopping = time.monotonic()
            c.server.should_exit = True  # with this stream still open
            async for _ in events:
                pass
            assert time.monotonic() - stopping < 3
        assert not c.app.state.console_hub.subscribers


@asynccontextmanager
async def running_shelter(kafka: KafkaSettings, database_url: str) -> AsyncIterator[Any]:
    app = create_shelter_app(ShelterSettings(database_url=database_url, kafka=kafka, auth=AUTH))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://shelter") as client:
            yield client


async def test_shelters_and_cases_from_shelter_show_on_the_console_in_order(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> None:
    async with (
        serving(kafka_bootstrap, topic_prefix, new_database("dispatch"), sweep_seconds=3600) as c,
        running_shelter(c.kafka, new_database("shelter")) as shelter,
    ):
        put = await shelter.post(
            f"/api/v1/regions/{REGION}/shelters",
            json={
                "code": "NS",
                "name": "UPT Nilam Suri",
                "kind": "upt",
                "sections": [
                    {"section": "male", "capacity": 20},
                    {"section": "female", "capacity": 12},
                ],
            },
            headers=staff_headers(AUTH, Role.SUPERVISOR, REGION),
        )
        assert put.status_code == 200, put.text
        shelter_id = put.json()[0]["shelter_id"]
        await _cases_reach_the_console(c, shelter_id)


async def _cases_reach_the_console(c: Console, shelter_id: str) -> None:
    d = c.d
    await set_up_batam(d, ROSTER)
    await d.publish(report(1, category="gepeng"))
    (created,) = await d.tail.wait("assignment.created")
    incident = created["incident_id"]

    def case_event(payload: Any) -> Any:
        return d.publish(payload, key=incident)

    admitted_at = PAGI - timedelta(days=20)  # a person brought in earlier, for a long stay
    opened_at = admitted_at - timedelta(hours=1)
    await case_event(
        CaseOpened(case_id="c1", incident_id=incident, category="gepeng", opened_at=opened_at)
    )
    await case_event(_status("c1", incident, "awaiting_admission", "admitted", admitted_at,
                             shelter_id))  # fmt: skip
    await case_event(_status("c1", incident, "admitted", "assessed",
                             admitted_at + timedelta(days=1), shelter_id))  # fmt: skip
    # A replayed older event must not take the case back; the case after it marks it read.
    await case_event(_status("c1", incident, "awaiting_admission", "admitted", admitted_at,
                             shelter_id))  # fmt: skip
    await d.publish(
        CaseOpened(case_id="c2", incident_id="elsewhere", category="anak_jalanan", opened_at=PAGI)
    )
    states = {"assessed": 1, "awaiting_admission": 1}
    path = f"/api/v1/console/shelters?region={REGION}"
    summary = await c.until(path, lambda s: s["shelters"] and s["cases_by_state"] == states)
    (found,) = summary["shelters"]
    assert found["name"] == "UPT Nilam Suri"
    assert {s["section"]: (s["capacity"], s["occupied"]) for s in found["sections"]} == {
        "male": (20, 1),
        "female": (12, 0),
    }
    assert summary["cases_by_state"] == states
    (stay,) = summary["long_stays"]
    assert (stay["case_id"], stay["shelter_name"], stay["days"]) == ("c1", "UPT Nilam Suri", 20)
    assert stay["incident_number"].startswith("21.71-")

    board = (await c.get(f"/api/v1/console/board?region={REGION}")).json()
    assert board["incidents"][0]["case"]["state"] == "assessed"
    assert board["incidents"][0]["case"]["shelter_name"] == "UPT Nilam Suri"

    await case_event(
        CaseOutcomeRecorded(
            case_id="c1",
            incident_id=incident,
            outcome=CaseOutcome.INDEPENDENT,
            outcome_at=PAGI - timedelta(hours=1),
        )
    )
    figures = await c.until(
        f"/api/v1/console/figures?region={REGION}&period=week",
        lambda f: f["outcomes"],
    )
    assert figures["outcomes"] == {"independent": 1}
    assert figures["ppks_mandiri"] == {"count": 1, "closed": 1, "percent": 100.0}
    detail = await c.get(f"/api/v1/incidents/{incident}")
    assert [(x["case_id"], x["state"], x["outcome"]) for x in detail.json()["cases"]] == [
        ("c1", "outcome", "independent")
    ]
    after = (await c.get(path)).json()
    assert after["long_stays"] == []
    assert [s["occupied"] for s in after["shelters"][0]["sections"]] == [0, 0]


def _status(
    case_id: str,
    incident: str,
    before: str,
    after: str,
    at: Any,
    shelter_id: str,
) -> CaseStatusChanged:
    return CaseStatusChanged(
        case_id=case_id,
        incident_id=incident,
        from_state=before,
        to_state=after,
        shelter_id=shelter_id,
        section="male",
        category="gepeng",
        changed_at=at,
    )
