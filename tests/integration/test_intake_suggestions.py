"""The call-center form's suggestion endpoint over HTTP: the same staff session, roles, region
scope and CSRF check as logging a report; an answer from the pipeline's own reading; nothing
stored."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select

from services.intake.models import Report
from shared.auth import COOKIE, AuthSettings, Role, Staff, issue_token
from tests.integration.intake_support import intake_http
from tests.support import staff_headers

pytestmark = pytest.mark.integration
AUTH = AuthSettings(secret="s" * 48)
URL = "/api/v1/reports/suggest"
# Written for this test, not taken from the corpus.
TYPED = {
    "region_code": "21.71",
    "description": "Pria dewasa ngamuk bawa parang di depan ruko, Kelurahan Tanjung Riau",
}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    # nothing is written: SQLite will do
    async with intake_http(f"sqlite:///{tmp_path / 'intake.db'}", AUTH) as c:
        yield c


async def test_an_operator_gets_the_suggestion_and_nothing_is_stored(client) -> None:
    operator = staff_headers(AUTH, Role.CALL_CENTER)
    response = await client.post(URL, json=TYPED, headers=operator)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    assert found["category"]["code"] == "odgj_terlantar"
    assert found["category"]["basis"] == "keyword"
    assert found["category"]["name_id"].startswith("ODGJ terlantar")
    assert 0 <= found["category"]["confidence"] <= 1
    assert len(found["alternatives"]) <= 2
    assert found["priority"]["priority"] == "P1"
    assert "kekerasan / violence" in found["priority"]["reasons"]
    assert "violence" in found["danger_flags"]
    assert found["place"]["kecamatan"] == "Sekupang"
    assert found["place"]["kelurahan"] == "Tanjung Riau"
    assert "ngamuk" in found["keywords"] and found["model_words"]
    supervisor = staff_headers(AUTH, Role.SUPERVISOR)
    assert (await client.post(URL, json=TYPED, headers=supervisor)).status_code == 200
    app = client._transport.app  # type: ignore[attr-defined]
    async with app.state.platform.sessions() as session:
        assert (await session.exec(select(Report))).all() == []


async def test_the_operators_place_and_flags_are_read_with_the_text(client) -> None:
    operator = staff_headers(AUTH, Role.CALL_CENTER)
    typed = {
        "region_code": "21.71",
        "description": "Kakek tua tidur di emperan toko sejak kemarin sore, bajunya lusuh",
    }
    plain = (await client.post(URL, json=typed, headers=operator)).json()
    ticked = {**typed, "danger_flags": ["medical"], "location": {"kecamatan": "Lubuk Baja"}}
    weighed = (await client.post(URL, json=ticked, headers=operator)).json()
    assert plain["triage_reason"] == "lokasi tidak jelas / unclear place"
    assert weighed["triage_reason"] is None
    assert weighed["priority"]["priority"] == "P1" and "medical" not in weighed["danger_flags"]


async def test_without_a_session_or_the_role_or_the_region_it_is_refused(client) -> None:
    assert (await client.post(URL, json=TYPED)).status_code == 401
    shelter = staff_headers(AUTH, Role.SHELTER_STAFF)
    assert (await client.post(URL, json=TYPED, headers=shelter)).status_code == 403
    makassar = staff_headers(AUTH, Role.CALL_CENTER, "73.71")
    refused = await client.post(URL, json=TYPED, headers=makassar)
    assert refused.status_code == 403 and "21.71" in refused.text
    unknown = await client.post(
        URL, json={**TYPED, "region_code": "99.99"}, headers=staff_headers(AUTH, Role.ADMIN)
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "region_code"]


async def test_a_browser_session_must_send_the_csrf_token(client) -> None:
    staff = Staff("u1", "rina", frozenset({Role.CALL_CENTER}), frozenset({"21.71"}))
    client.cookies.set(COOKIE, issue_token(staff, AUTH))
    forged = await client.post(URL, json=TYPED)
    assert forged.status_code == 403 and "CSRF" in forged.text
    await client.get("/laporan")  # the page hands out the CSRF cookie
    sent = await client.post(URL, json=TYPED, headers={"X-CSRF-Token": client.cookies["trc_csrf"]})
    assert sent.status_code == 200, sent.text
