"""Dispatch's HTTP side on the real broker and both databases: the roster from the department's
spreadsheet (all or nothing), who is on duty and where nobody is, a supervisor's audited
actions, check-ins, a roster gap, and a report separated from its incident."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from services.dispatch.app import create_app
from services.dispatch.settings import DispatchSettings
from shared.auth import Role
from shared.contracts.events import ReportUnlinked
from shared.contracts.vocabulary import FieldAction
from shared.settings import KafkaSettings
from tests.integration.dispatch_support import (
    AUTH,
    PAGI,
    REGION,
    Dispatch,
    press,
    report,
    running_dispatch,
    set_up_batam,
)
from tests.support import staff_headers

pytestmark = pytest.mark.integration
TODAY = "2026-11-22"
TEAMS_CSV = "kode;nama;kapasitas;zona\nA;Tim A;2;Lubuk Baja\nB;Tim B;1;Batam Kota; Bengkong\n"
MEMBERS_CSV = (
    "kode,nama,jenis,peran,telegram,tim\nm1,Andi,staff,ketua,1001,A\nm2,Budi,bko,sopir,,A;B\n"
)


@pytest.fixture
async def dispatch(
    kafka_bootstrap: str, topic_prefix: str, new_database: Any
) -> AsyncIterator[Dispatch]:
    async with running_dispatch(kafka_bootstrap, topic_prefix, new_database("dispatch")) as d:
        yield d


async def upload(d: Dispatch, kind: str, text: str) -> Any:
    return await d.client.post(
        f"/api/v1/regions/{REGION}/import/{kind}",
        content=text.encode(),
        headers={"content-type": "text/csv", **staff_headers(AUTH, Role.SUPERVISOR)},
    )


async def test_the_spreadsheet_imports_whole_or_not_at_all_with_bad_rows_by_line(
    dispatch: Dispatch,
) -> None:
    d = dispatch
    await d.api("PUT", f"/api/v1/regions/{REGION}/shifts", json=[
        {"code": "pagi", "starts": "07:00", "ends": "19:00"},
        {"code": "malam", "starts": "19:00", "ends": "07:00"},
    ])  # fmt: skip
    assert (await upload(d, "teams", TEAMS_CSV)).json() == {"kind": "teams", "rows": 2}
    assert (await upload(d, "members", MEMBERS_CSV)).status_code == 200
    bad = await upload(
        d, "roster", "tanggal,sif,tim\n22/11/2026,pagi,A\n2026-11-22,sore,B\n23/11/2026,malam,Z\n"
    )
    assert bad.status_code == 422
    assert [(e["line"], e["msg"].split(" ")[0]) for e in bad.json()["detail"]] == [
        (3, "shift"),
        (4, "team"),
    ]
    assert (
        await d.api(
            "GET", f"/api/v1/regions/{REGION}/roster", params={"from": TODAY, "to": "2026-11-23"}
        )
        == []
    )
    good = await upload(d, "roster", "tanggal,sif,tim\n22/11/2026,pagi,A\n22/11/2026,malam,B\n")
    assert good.json() == {"kind": "roster", "rows": 2}
    teams = await d.api("GET", f"/api/v1/regions/{REGION}/teams")
    assert {t["code"]: (t["members"], t["members_without_telegram"]) for t in teams} == {
        "A": (["m1", "m2"], ["m2"]),
        "B": (["m2"], ["m2"]),
    }
    announced = await d.tail.wait("team.updated", 6)  # after the teams, again after the members
    latest = {t["code"]: t for t in announced}
    assert [(m["code"], m["telegram_user_id"]) for m in latest["A"]["members"]] == [
        ("m1", 1001),
        ("m2", None),
    ]
    members = await d.api("GET", f"/api/v1/regions/{REGION}/members")
    assert {m["code"]: (m["kind"], m["role"]) for m in members} == {
        "m1": ("staff", "leader"),
        "m2": ("bko", "driver"),
    }

    await d.tail.wait("duty.changed", 3)
    announced_duty = [e for e in d.tail.events if e["event_type"] == "duty.changed"][-1]["payload"]
    assert [t["code"] for t in announced_duty["on_duty"]] == ["A"]  # for notify's /shift
    duty = await d.api("GET", f"/api/v1/regions/{REGION}/duty")  # 10.00 WIB
    assert (duty["on_duty"], duty["next"], duty["at"]) == (["A"], ["B"], "22 Nov 2026 10.00 WIB")
    assert duty["gaps_next_24h"] == [
        {"from": "23 Nov 2026 07.00 WIB", "to": "23 Nov 2026 10.00 WIB"}
    ]
    call_center = await d.client.put(
        f"/api/v1/regions/{REGION}/shifts", json=[], headers=staff_headers(AUTH, Role.CALL_CENTER)
    )
    other_region = await d.client.get(
        f"/api/v1/regions/{REGION}/teams", headers=staff_headers(AUTH, Role.SUPERVISOR, "73.71")
    )
    assert (call_center.status_code, other_region.status_code) == (403, 403)


async def test_shifts_redefined_without_one_the_roster_uses_are_refused_and_nothing_changes(
    dispatch: Dispatch,
) -> None:
    d = dispatch
    await set_up_batam(d, [{"day": TODAY, "shift": s, "team_code": "A"} for s in ("pagi", "malam")])
    dropped = await d.client.put(
        f"/api/v1/regions/{REGION}/shifts",
        json=[{"code": "pagi", "starts": "07:00", "ends": "19:00"}],
        headers=staff_headers(AUTH, Role.SUPERVISOR),
    )
    assert dropped.status_code == 409 and "malam" in dropped.json()["detail"]
    shifts = await d.api("GET", f"/api/v1/regions/{REGION}/shifts")
    assert sorted(s["code"] for s in shifts) == ["malam", "pagi", "siang"]
    assert (await d.api("GET", f"/api/v1/regions/{REGION}/duty"))["on_duty"] == ["A"]


@asynccontextmanager
async def http_only(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """Dispatch's HTTP side alone: no broker, the lifespan not started."""
    app = create_app(
        DispatchSettings(
            database_url=database_url, auth=AUTH, kafka=KafkaSettings(bootstrap="127.0.0.1:1")
        )
    )
    await app.state.platform.migrate()
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://dispatch") as client:
            yield client
    finally:
        await app.state.platform.engine.dispose()


async def test_a_region_code_without_a_known_time_zone_is_refused_not_a_server_error(
    new_database: Any,
) -> None:
    admin = staff_headers(AUTH, Role.ADMIN)
    async with http_only(new_database("dispatch")) as client:  # found by fuzzing: 500s
        shifts = await client.put("/api/v1/regions/60/shifts", json=[], headers=admin)
        teams = await client.post("/api/v1/regions/00/teams", json=[], headers=admin)
        duty = await client.get("/api/v1/regions/00/duty", headers=admin)
    assert (shifts.status_code, teams.status_code, duty.status_code) == (422, 422, 422)


async def test_a_code_twice_in_one_request_is_refused_and_a_team_named_twice_is_joined_once(
    new_database: Any,
) -> None:
    url = f"/api/v1/regions/{REGION}"
    supervisor = staff_headers(AUTH, Role.SUPERVISOR)
    async with http_only(new_database("dispatch")) as client:  # found by fuzzing: 500s
        team = {"code": "A", "name": "Tim A"}
        twice = await client.post(f"{url}/teams", json=[team, team], headers=supervisor)
        once = await client.post(f"{url}/teams", json=[team], headers=supervisor)
        member = {"code": "m1", "name": "Andi", "teams": ["A", "A"]}
        members_twice = await client.post(
            f"{url}/members", json=[member, member], headers=supervisor
        )
        joined = await client.post(f"{url}/members", json=[member], headers=supervisor)
        csv = await client.post(
            f"{url}/import/members",
            content=b"kode,nama,tim\nm2,Budi,A;A\n",
            headers={"content-type": "text/csv", **supervisor},
        )
        teams = await client.get(f"{url}/teams", headers=supervisor)
    assert (twice.status_code, once.status_code) == (422, 200)
    assert (members_twice.status_code, joined.status_code, csv.status_code) == (422, 200, 200)
    assert [t["members"] for t in teams.json()] == [["m1", "m2"]]


async def test_a_supervisors_actions_need_a_reason_and_are_audited(dispatch: Dispatch) -> None:
    d = dispatch
    teams = await set_up_batam(d, [
        {"day": TODAY, "shift": "pagi", "team_code": "A"},
        {"day": TODAY, "shift": "pagi", "team_code": "C"},
    ])  # fmt: skip
    await d.publish(report(1))
    [created] = await d.tail.wait("assignment.created")
    incident = created["incident_id"]
    supervisor = staff_headers(AUTH, Role.SUPERVISOR)
    no_reason = await d.client.post(
        f"/api/v1/incidents/{incident}/cancel", json={}, headers=supervisor
    )
    assert no_reason.status_code == 422
    off_duty = await d.client.post(
        f"/api/v1/incidents/{incident}/assign",
        json={"team_id": teams["B"], "reason": "dekat"},
        headers=supervisor,
    )
    assert off_duty.status_code == 409 and "not on duty" in off_duty.text
    moved = await d.api(
        "POST",
        f"/api/v1/incidents/{incident}/assign",
        json={"team_id": teams["C"], "reason": "Tim A mogok"},
    )
    assert moved["team_id"] == teams["C"]
    await d.api(
        "POST",
        f"/api/v1/incidents/{incident}/priority",
        json={"priority": "P1", "reason": "ada anak"},
    )
    early = await d.client.post(
        f"/api/v1/incidents/{incident}/close", json={"reason": "selesai"}, headers=supervisor
    )
    assert early.status_code == 409
    closed = await d.api(
        "POST",
        f"/api/v1/incidents/{incident}/close",
        json={"reason": "diantar pulang", "outcome": "resolved_on_site"},
    )
    assert closed["state"] == "closed"
    [released] = await d.tail.wait("assignment.released")
    assert (released["team_id"], released["reason"], released["note"]) == (
        teams["A"],
        "reassigned",
        "Tim A mogok",
    )
    detail = await d.api("GET", f"/api/v1/incidents/{incident}")
    audit = [
        (e["actor"], e["detail"]["action"], e["detail"]["reason"])
        for e in detail["timeline"]
        if e["kind"] == "manual"
    ]
    assert audit == [
        ("sari", "reassign", "Tim A mogok"),
        ("sari", "priority", "ada anak"),
        ("sari", "close", "diantar pulang"),
    ]
    assert [a["assigned_by"] for a in detail["assignments"]] == ["policy", "sari"]
    # received, assigned, assigned again (moved), then the close: wait for all five
    states = [e["to_state"] for e in await d.tail.wait("incident.status_changed", 5)]
    assert states[-2:] == ["resolved_on_site", "closed"]


async def test_a_team_silent_on_scene_is_asked_to_check_in_then_escalated(
    dispatch: Dispatch,
) -> None:
    d = dispatch
    await set_up_batam(d, [{"day": TODAY, "shift": "pagi", "team_code": "A"}])
    await d.publish(report(1))
    [created] = await d.tail.wait("assignment.created")
    await d.publish(press(created, FieldAction.ON_SCENE, 1001, 1))
    await d.tail.wait("assignment.acknowledged")
    d.clock.advance(minutes=31)
    [asked] = await d.tail.wait("assignment.checkin_requested")
    assert asked["incident_id"] == created["incident_id"]
    d.clock.advance(minutes=11)
    [escalated] = await d.tail.wait("incident.escalated")
    assert escalated["kind"] == "checkin_missed"


async def test_a_report_with_nobody_on_duty_is_escalated_not_left_silent(
    dispatch: Dispatch,
) -> None:
    d = dispatch
    await set_up_batam(d, [{"day": TODAY, "shift": "siang", "team_code": "A"}])  # nobody till 15.00
    await d.publish(report(1))
    [escalated] = await d.tail.wait("incident.escalated")
    assert (escalated["kind"], escalated["level"]) == ("no_team", 1)
    d.clock.advance(hours=5)  # siang begins: the queue is served
    [created] = await d.tail.wait("assignment.created")
    assert created["incident_id"] == escalated["incident_id"]


async def test_a_report_separated_from_its_incident_becomes_an_incident_of_its_own(
    dispatch: Dispatch,
) -> None:
    d = dispatch
    await set_up_batam(d, [{"day": TODAY, "shift": "pagi", "team_code": "A"}])
    await d.publish(report(1))
    await d.publish(report(2, duplicate_of="rep-0001"))
    [created] = await d.tail.wait("assignment.created")
    unlinked = ReportUnlinked(
        report_id="rep-0002",
        previously_linked_to="rep-0001",
        reason="orang lain",
        actor="rina",
        unlinked_at=PAGI,
    )
    await d.publish(unlinked)
    second = (await d.tail.wait("assignment.created", 2))[1]
    assert second["incident_id"] != created["incident_id"]
    first = await d.api("GET", f"/api/v1/incidents/{created['incident_id']}")
    assert first["report_ids"] == ["rep-0001"]
