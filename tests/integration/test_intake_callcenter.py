"""The call-center page's server side: sign-in redirect, roles, reference data, the nearby hint,
attaching a call to an open report, and cross-site request forgery protection."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlmodel import select

from services.intake.models import Report
from shared.auth import COOKIE, AuthSettings, Role, Staff, issue_token
from tests.integration.intake_support import intake_http
from tests.support import staff_headers

pytestmark = pytest.mark.integration
AUTH = AuthSettings(secret="c" * 48)
ODGJ_BALOI = {
    "region_code": "21.71",
    "category": "odgj_terlantar",
    "description": "Pria dewasa bicara sendiri di depan ruko, tidak memakai alas kaki",
    "location": {"kecamatan": "Lubuk Baja", "kelurahan": "Baloi Indah"},
}


def token(role: Role = Role.CALL_CENTER, region: str = "21.71") -> str:
    return issue_token(Staff("u1", "rina", frozenset({role}), frozenset({region})), AUTH)


@pytest.fixture
async def client(new_database: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with intake_http(new_database("intake"), AUTH) as c:
        yield c


async def test_a_visitor_without_a_session_is_sent_to_sign_in_and_back(client) -> None:
    response = await client.get("/laporan")
    assert response.status_code == 303
    assert response.headers["location"] == (
        "http://intake:8002/masuk?next=http%3A%2F%2Fintake%2Flaporan"
    )


async def test_the_page_is_for_call_center_staff_and_supervisors(client) -> None:
    client.cookies.set(COOKIE, token(Role.SHELTER_STAFF))
    refused = await client.get("/laporan")
    client.cookies.set(COOKIE, token(Role.CALL_CENTER))
    shown = await client.get("/laporan")
    assert refused.status_code == 403 and "tidak berwenang" in refused.text
    assert shown.status_code == 200 and 'id="report"' in shown.text
    assert "script-src 'self'" in shown.headers["content-security-policy"]
    assert (await client.get("/web/laporan.js")).status_code == 200
    assert (await client.get("/assets/trc.js")).status_code == 200


async def test_reference_data_is_the_taxonomy_and_the_places_of_regions_one_covers(client) -> None:
    operator = staff_headers(AUTH, Role.CALL_CENTER)
    categories = (await client.get("/api/v1/reference/categories", headers=operator)).json()
    codes = [c["code"] for c in categories]
    assert {"odgj_terlantar", "gelandangan", "pengemis"} <= set(codes)
    assert len([c for c in categories if c["official"]]) == 26
    regions = (await client.get("/api/v1/reference/regions", headers=operator)).json()
    assert [(r["region_code"], r["zone_label"]) for r in regions] == [("21.71", "WIB")]
    batam = (await client.get("/api/v1/reference/regions/21.71", headers=operator)).json()
    lubuk_baja = next(k for k in batam["kecamatan"] if k["name"] == "Lubuk Baja")
    assert "Baloi Indah" in lubuk_baja["kelurahan"]
    other = await client.get("/api/v1/reference/regions/73.71", headers=operator)
    assert other.status_code == 404
    assert (await client.get("/api/v1/reference/categories")).status_code == 401


async def test_the_nearby_hint_lists_open_reports_and_the_call_can_be_attached(client) -> None:
    operator = staff_headers(AUTH, Role.CALL_CENTER)
    first = (await client.post("/api/v1/reports", json=ODGJ_BALOI, headers=operator)).json()
    other_category = {
        **ODGJ_BALOI,
        "category": "pengemis",
        "description": "Pengemis di lampu merah",
    }
    await client.post("/api/v1/reports", json=other_category, headers=operator)

    async def nearby(**query: str) -> Any:
        params = {"region_code": "21.71", "category": "odgj_terlantar", **query}
        response = await client.get("/api/v1/reports/nearby", params=params, headers=operator)
        assert response.status_code == 200, response.text
        return response.json()

    [same_kelurahan] = await nearby(kecamatan="Lubuk Baja", kelurahan="Baloi Indah")
    [same_kecamatan] = await nearby(kecamatan="Lubuk Baja", kelurahan="Batu Selicin")
    assert same_kelurahan["report_id"] == first["report_id"]
    assert same_kelurahan["why_near"].startswith("same kelurahan")
    assert same_kelurahan["received_local"].endswith("WIB")
    assert "reporter_phone" not in same_kelurahan
    assert same_kecamatan["why_near"].startswith("same kecamatan")
    assert await nearby(kecamatan="Batu Ampar") == []
    elsewhere = await client.get(
        "/api/v1/reports/nearby",
        params={"region_code": "21.71", "category": "odgj_terlantar", "kecamatan": "Lubuk Baja"},
        headers=staff_headers(AUTH, Role.CALL_CENTER, "73.71"),
    )
    assert elsewhere.status_code == 403

    call = {**ODGJ_BALOI, "location": {"kecamatan": "Lubuk Baja"}, "attach_to": first["report_id"]}
    attached = await client.post("/api/v1/reports", json=call, headers=operator)
    assert attached.status_code == 201, attached.text
    assert (attached.json()["status"], attached.json()["duplicate_of"]) == (
        "linked",
        first["report_id"],
    )


async def test_attaching_to_an_unknown_report_names_the_field_and_stores_nothing(client) -> None:
    operator = staff_headers(AUTH, Role.CALL_CENTER)
    app = client._transport.app  # type: ignore[attr-defined]
    call = {**ODGJ_BALOI, "attach_to": "no-such-report"}
    response = await client.post("/api/v1/reports", json=call, headers=operator)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "attach_to"]
    async with app.state.platform.sessions() as session:
        assert (await session.exec(select(Report))).all() == []


async def test_a_browser_session_must_send_the_csrf_token_an_api_token_need_not(client) -> None:
    operator = staff_headers(AUTH, Role.CALL_CENTER)
    client.cookies.set(COOKIE, token())
    forged = await client.post("/api/v1/reports", json=ODGJ_BALOI)
    assert forged.status_code == 403 and "CSRF" in forged.text
    await client.get("/laporan")  # the page hands out the CSRF cookie
    csrf = client.cookies["trc_csrf"]
    wrong = await client.post("/api/v1/reports", json=ODGJ_BALOI, headers={"X-CSRF-Token": "x"})
    sent = await client.post("/api/v1/reports", json=ODGJ_BALOI, headers={"X-CSRF-Token": csrf})
    assert wrong.status_code == 403
    assert sent.status_code == 201, sent.text
    client.cookies.clear()
    assert (
        await client.post("/api/v1/reports", json=ODGJ_BALOI, headers=operator)
    ).status_code == 201


async def test_the_console_on_dispatch_splits_a_linked_report_in_the_browsers_session(
    client,
) -> None:
    operator = staff_headers(AUTH, Role.CALL_CENTER)
    call = {**ODGJ_BALOI, "reporter_phone": "0812-7777-2222"}
    first = (await client.post("/api/v1/reports", json=call, headers=operator)).json()
    again = (await client.post("/api/v1/reports", json=call, headers=operator)).json()
    assert again["duplicate_of"] == first["report_id"]
    unlink = f"/api/v1/reports/{again['report_id']}/unlink"
    console = "http://intake:8002"  # TRC_AUTH_LOGIN_URL's port on the host asked
    ask = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-csrf-token",
    }
    stranger = await client.options(unlink, headers={"Origin": "http://elsewhere:8002", **ask})
    preflight = await client.options(unlink, headers={"Origin": console, **ask})
    assert "access-control-allow-origin" not in stranger.headers
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == console
    assert preflight.headers["access-control-allow-credentials"] == "true"

    await client.get("/laporan", headers=operator)  # a page of any service hands out the cookie
    client.cookies.set(COOKIE, token(Role.SUPERVISOR))
    split = await client.post(
        unlink,
        json={"reason": "orang yang berbeda"},
        headers={"Origin": console, "X-CSRF-Token": client.cookies["trc_csrf"]},
    )
    assert split.status_code == 200, split.text
    assert split.headers["access-control-allow-origin"] == console
    assert split.json()["link_history"][0]["reason"] == "orang yang berbeda"
