"""One sign-in for every service: dispatch issues the session, intake honours it, and the
reporter's identity is shown only to the roles that need it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.dispatch.accounts.staff import create_account
from services.dispatch.app import create_app as dispatch_app
from services.dispatch.settings import DispatchSettings
from services.intake.app import create_app as intake_app
from services.intake.settings import IntakeSettings
from shared.auth import AuthSettings, Role
from shared.settings import KafkaSettings
from tests.support import staff_headers

pytestmark = pytest.mark.integration
AUTH = AuthSettings(secret="s" * 48)
REPORT = {
    "region_code": "21.71",
    "description": "Nenek tua tidur di emperan toko Pasar Jodoh, tampak lemas",
    "reporter_name": "Siti Aminah",
    "reporter_phone": "0812 3456 7890",
}


async def serve(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            yield client


def kafka(bootstrap: str, prefix: str) -> KafkaSettings:
    return KafkaSettings(bootstrap=bootstrap, topic_prefix=prefix, session_timeout_ms=6000)


@pytest.fixture
async def dispatch(kafka_bootstrap: str, topic_prefix: str, new_database: Any):
    app = dispatch_app(
        DispatchSettings(
            database_url=new_database("dispatch"),
            kafka=kafka(kafka_bootstrap, topic_prefix),
            auth=AUTH,
        )
    )
    async for client in serve(app):
        yield app, client


@pytest.fixture
async def intake(kafka_bootstrap: str, topic_prefix: str, new_database: Any):
    app = intake_app(
        IntakeSettings(
            database_url=new_database("intake"),
            kafka=kafka(kafka_bootstrap, topic_prefix),
            auth=AUTH,
        )
    )
    async for client in serve(app):
        yield client


async def test_sign_in_at_dispatch_then_log_a_call_at_intake(dispatch, intake) -> None:
    app, client = dispatch
    async with app.state.platform.sessions() as session:
        await create_account(
            session,
            username="rina",
            display_name="Rina",
            password="panjang-sekali-1",
            roles=[Role.CALL_CENTER],
            regions=["21.71"],
        )
        await session.commit()
    wrong = await client.post(
        "/api/v1/auth/login", json={"username": "rina", "password": "salah-salah"}
    )
    assert wrong.status_code == 401
    login = await client.post(
        "/api/v1/auth/login", json={"username": "rina", "password": "panjang-sekali-1"}
    )
    assert login.status_code == 200
    assert (
        "trc_session" in login.headers["set-cookie"] and "HttpOnly" in login.headers["set-cookie"]
    )
    token = login.json()["token"]
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["roles"] == ["call_center"]

    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "call-0001"}
    first = await intake.post("/api/v1/reports", json=REPORT, headers=headers)
    retry = await intake.post("/api/v1/reports", json=REPORT, headers=headers)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json()["report_id"] == retry.json()["report_id"]
    assert first.json()["category"] == "lanjut_usia_terlantar"


async def test_reporter_identity_only_for_roles_that_need_it(intake) -> None:
    operator = staff_headers(AUTH, Role.CALL_CENTER)
    created = await intake.post("/api/v1/reports", json=REPORT, headers=operator)
    report_id = created.json()["report_id"]
    for role, sees in [
        (Role.CALL_CENTER, True),
        (Role.SUPERVISOR, True),
        (Role.SHELTER_STAFF, False),
    ]:
        headers = staff_headers(AUTH, role)
        view = (await intake.get(f"/api/v1/reports/{report_id}", headers=headers)).json()
        assert (view["reporter_phone"] == "+6281234567890") is sees, role
        assert (view["reporter_name"] == "Siti Aminah") is sees, role


async def test_no_session_wrong_role_or_other_region_is_refused(intake) -> None:
    assert (await intake.post("/api/v1/reports", json=REPORT)).status_code == 401
    shelter = await intake.post(
        "/api/v1/reports", json=REPORT, headers=staff_headers(AUTH, Role.SHELTER_STAFF)
    )
    assert shelter.status_code == 403
    makassar = await intake.post(
        "/api/v1/reports", json=REPORT, headers=staff_headers(AUTH, Role.CALL_CENTER, "73.71")
    )
    assert makassar.status_code == 403
    created = await intake.post(
        "/api/v1/reports", json=REPORT, headers=staff_headers(AUTH, Role.CALL_CENTER)
    )
    other = await intake.get(
        f"/api/v1/reports/{created.json()['report_id']}",
        headers=staff_headers(AUTH, Role.SUPERVISOR, "73.71"),
    )
    assert other.status_code == 404
    await asyncio.sleep(0)


async def test_an_operator_unlinks_a_wrong_duplicate_over_http(intake) -> None:
    first = await intake.post(
        "/api/v1/reports",
        headers=staff_headers(AUTH, Role.CALL_CENTER),
        json={"region_code": "21.71", "description": "Gelandangan tidur di halte Sei Panas"},
    )
    second = await intake.post(
        "/api/v1/reports",
        headers=staff_headers(AUTH, Role.CALL_CENTER),
        json={"region_code": "21.71", "description": "Tunawisma tidur di emperan Sungai Panas"},
    )
    assert second.json()["duplicate_of"] == first.json()["report_id"]
    url = f"/api/v1/reports/{second.json()['report_id']}/unlink"
    refused = await intake.post(
        url, headers=staff_headers(AUTH, Role.SHELTER_STAFF), json={"reason": "beda orang"}
    )
    supervisor = staff_headers(AUTH, Role.SUPERVISOR)
    done = await intake.post(url, headers=supervisor, json={"reason": "beda orang"})
    again = await intake.post(url, headers=supervisor, json={"reason": "beda orang"})
    assert refused.status_code == 403
    assert (done.status_code, done.json()["status"], done.json()["duplicate_of"]) == (
        200,
        "open",
        None,
    )
    assert again.status_code == 409
