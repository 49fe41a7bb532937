"""The triage page's server side: ``/triase`` for call-center staff and supervisors, and what the
queue tells the operator to decide — the classifier's explanation, the places an ambiguous name
may be, and the time received in the region's zone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.intake.domain.decision import AMBIGUOUS_PLACE
from shared.auth import COOKIE, AuthSettings, Role, Staff, issue_token
from tests.integration.intake_support import intake_http
from tests.support import staff_headers

pytestmark = pytest.mark.integration
AUTH = AuthSettings(secret="q" * 48)
# Desa Kedungwungu is in Kecamatan Anjatan and in Kecamatan Krangkeng (Kabupaten Indramayu).
AMBIGUOUS = {
    "region_code": "32.12",
    "description": "Ada anak kecil mengemis sendirian di perempatan jalan Ds. Kedungwungu sampai "
    "malam, kasihan sekali",
}


@pytest.fixture
async def client(new_database: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with intake_http(new_database("intake"), AUTH) as c:
        yield c


async def test_the_page_is_for_call_center_staff_and_supervisors(client: httpx.AsyncClient) -> None:
    shown = {}
    for role in (Role.SHELTER_STAFF, Role.CALL_CENTER, Role.SUPERVISOR):
        client.cookies.set(
            COOKIE, issue_token(Staff("u1", "rina", frozenset({role}), frozenset({"21.71"})), AUTH)
        )
        shown[role] = await client.get("/triase")
    assert shown[Role.SHELTER_STAFF].status_code == 403
    for role in (Role.CALL_CENTER, Role.SUPERVISOR):
        assert shown[role].status_code == 200 and 'id="queue"' in shown[role].text
    assert "script-src 'self'" in shown[Role.CALL_CENTER].headers["content-security-policy"]
    for asset in ("triase.js", "triase.css", "pilihan.js"):
        assert (await client.get(f"/web/{asset}")).status_code == 200
    form = await client.get("/laporan")
    assert 'href="/triase"' in form.text and 'href="/laporan"' in shown[Role.SUPERVISOR].text


async def test_an_ambiguous_place_comes_with_its_candidates_and_the_time_in_the_zone(
    client: httpx.AsyncClient,
) -> None:
    operator = staff_headers(AUTH, Role.CALL_CENTER, "32.12", "rina")
    saved = (await client.post("/api/v1/reports", json=AMBIGUOUS, headers=operator)).json()
    assert saved["status"] == "needs_triage"

    [item] = (await client.get("/api/v1/triage", headers=operator)).json()
    [english] = (await client.get("/api/v1/triage?lang=en", headers=operator)).json()
    refused = await client.get("/api/v1/triage?lang=fr", headers=operator)

    assert item["report_id"] == saved["report_id"]
    assert item["triage_reason"] == AMBIGUOUS_PLACE
    assert item["candidates"] == [
        {"kecamatan": "Anjatan", "kelurahan": "Kedungwungu"},
        {"kecamatan": "Krangkeng", "kelurahan": "Kedungwungu"},
    ]
    assert item["explanation"], "what weighed in the classifier's reading"
    assert not any(line.startswith("lokasi ambigu") for line in item["explanation"])
    assert item["kecamatan"] is None and item["claimed_by"] is None
    assert isinstance(item["category_guessed"], bool)
    assert item["received_local"].endswith(" WIB") and "." in item["received_local"][-9:]
    assert english["received_local"].endswith(" WIB") and ":" in english["received_local"][-9:]
    assert refused.status_code == 422

    claimed = await client.post(f"/api/v1/triage/{item['report_id']}/claim", headers=operator)
    assert claimed.status_code == 200
    assert claimed.json()["candidates"] == item["candidates"]  # every answer is a whole item
    assert claimed.json()["claimed_by"] == "rina"
