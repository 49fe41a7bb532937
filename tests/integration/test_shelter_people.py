"""Repeat clients: the same NIK is the same person; without a NIK, look-alikes are offered and
linked only when the staff confirm. Every look is audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlmodel import select

from services.shelter.app import create_app
from services.shelter.models import Case, PersonAudit
from services.shelter.settings import ShelterSettings
from shared.auth import AuthSettings, Role
from shared.settings import KafkaSettings
from tests.support import staff_headers

pytestmark = pytest.mark.integration
AUTH = AuthSettings(secret="p" * 48)
NIK = "2171010101800002"


async def test_a_person_coming_back_is_linked_to_their_earlier_cases(new_database: Any) -> None:
    app = create_app(
        ShelterSettings(
            database_url=new_database("shelter"),
            auth=AUTH,
            kafka=KafkaSettings(bootstrap="127.0.0.1:1"),
        )
    )
    platform = app.state.platform
    await platform.migrate()
    now = datetime.now(UTC)
    async with platform.uow() as uow:
        for n in (1, 2, 3):
            uow.session.add(
                Case(
                    id=f"c{n}",
                    region_code="21.71",
                    incident_id=f"i{n}",
                    seq=1,
                    category="gepeng",
                    state="awaiting_admission",
                    opened_at=now,
                )
            )
        await uow.commit()
    headers = staff_headers(AUTH, Role.SHELTER_STAFF, username="wati")
    person = {
        "name": "Pak Darto",
        "sex": "male",
        "estimated_age": 61,
        "origin_region_code": "33.74",
    }
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://shelter"
    ) as client:
        first = (
            await client.put(
                "/api/v1/cases/c1/person", headers=headers, json={**person, "nik": NIK}
            )
        ).json()
        again = (
            await client.put("/api/v1/cases/c2/person", headers=headers, json={"nik": NIK})
        ).json()
        assert again["person_id"] == first["person_id"]  # the same NIK: the same person
        record = (await client.get("/api/v1/cases/c2/person", headers=headers)).json()
        assert (
            record["earlier_cases"] == ["c1"] and record["name"] == "Pak Darto"
        )  # known fields kept
        lookalike = {
            "name": "pak darto",
            "sex": "male",
            "estimated_age": 58,
            "origin_region_code": "33.74",
        }
        offered = (
            await client.post("/api/v1/cases/c3/similar", headers=headers, json=lookalike)
        ).json()
        assert [p["person_id"] for p in offered] == [first["person_id"]]
        unconfirmed = (await client.get("/api/v1/cases/c3/person", headers=headers)).status_code
        assert unconfirmed == 404  # offered, never linked on its own
        confirmed = await client.put(
            "/api/v1/cases/c3/person", headers=headers, json={"same_as": first["person_id"]}
        )
        assert confirmed.json()["person_id"] == first["person_id"]
    async with platform.sessions() as session:
        actions = [a.action for a in (await session.exec(select(PersonAudit))).all()]
    assert actions == ["create", "update", "read", "read", "update"]
    await platform.engine.dispose()


async def test_overdue_cases_are_listed_and_an_ended_case_is_corrected_only_by_a_supervisor(
    new_database: Any,
) -> None:
    from datetime import timedelta

    app = create_app(
        ShelterSettings(
            database_url=new_database("shelter"),
            auth=AUTH,
            kafka=KafkaSettings(bootstrap="127.0.0.1:1"),
        )
    )
    platform = app.state.platform
    await platform.migrate()
    now = datetime.now(UTC)
    rows = [
        ("late-assessment", "admitted", "anak_jalanan", 5),  # not assessed after 5 days (3 allowed)
        ("long-odgj", "in_service", "odgj_terlantar", 20),  # ODGJ: problem solving by day 9 of 14
        ("fine", "in_service", "anak_jalanan", 10),  # others: by day 18 of 30
        ("ended", "closed", "gepeng", 40),
    ]
    async with platform.uow() as uow:
        for case_id, state, category, days in rows:
            uow.session.add(
                Case(
                    id=case_id,
                    region_code="21.71",
                    incident_id=case_id,
                    seq=1,
                    category=category,
                    state=state,
                    opened_at=now - timedelta(days=days + 1),
                    admitted_at=now - timedelta(days=days),
                    outcome="independent" if state == "closed" else None,
                )
            )
        await uow.commit()

    def headers(role: Role) -> dict[str, str]:
        return staff_headers(AUTH, role)

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://shelter"
    ) as client:
        answer = await client.get(
            "/api/v1/regions/21.71/cases/overdue", headers=headers(Role.SHELTER_STAFF)
        )
        assert answer.status_code == 200, answer.text
        late = answer.json()
        assert [(c["case_id"], c["stage"], c["days_late"]) for c in late] == [
            ("long-odgj", "pemecahan_masalah", 11.0),
            ("late-assessment", "pengungkapan_masalah", 2.0),
        ]
        fix = {
            "field": "outcome",
            "value": "returned_to_family",
            "reason": "keluarga menjemput, salah catat",
        }
        by_staff = await client.post(
            "/api/v1/cases/ended/correct", headers=headers(Role.SHELTER_STAFF), json=fix
        )
        by_supervisor = await client.post(
            "/api/v1/cases/ended/correct", headers=headers(Role.SUPERVISOR), json=fix
        )
        on_open = await client.post(
            "/api/v1/cases/fine/correct", headers=headers(Role.SUPERVISOR), json=fix
        )
        too_long = await client.post(  # the column holds 60: a 500 on PostgreSQL before
            "/api/v1/cases/ended/correct",
            headers=headers(Role.SUPERVISOR),
            json={"field": "category", "value": "x" * 61, "reason": "salah kategori"},
        )
        after_close = await client.post(
            "/api/v1/cases/ended/entries",
            headers=headers(Role.SHELTER_STAFF),
            json={"kind": "note", "detail": {"text": "x"}},
        )
    assert (by_staff.status_code, by_supervisor.status_code, on_open.status_code) == (403, 200, 409)
    assert by_supervisor.json()["outcome"] == "returned_to_family"
    assert after_close.status_code == 409  # a closed case is read-only but for corrections
    assert too_long.status_code == 409
    from services.shelter.models import CaseEntry

    async with platform.sessions() as session:
        [entry] = (await session.exec(select(CaseEntry).where(CaseEntry.case_id == "ended"))).all()
    assert (entry.kind, entry.by, entry.detail["before"], entry.detail["reason"]) == (
        "correction",
        "sari",
        "independent",
        "keluarga menjemput, salah catat",
    )
    await platform.engine.dispose()


async def test_a_case_goes_from_admission_through_assessment_and_service_to_a_closed_outcome(
    new_database: Any,
) -> None:
    app = create_app(
        ShelterSettings(
            database_url=new_database("shelter"),
            auth=AUTH,
            kafka=KafkaSettings(bootstrap="127.0.0.1:1"),
        )
    )
    platform = app.state.platform
    await platform.migrate()
    async with platform.uow() as uow:
        uow.session.add(
            Case(
                id="c1",
                region_code="21.71",
                incident_id="i1",
                seq=1,
                category="gepeng",
                state="awaiting_admission",
                opened_at=datetime.now(UTC),
            )
        )
        await uow.commit()
    headers = staff_headers(AUTH, Role.SUPERVISOR, username="wati")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://shelter"
    ) as client:
        await client.post(
            "/api/v1/regions/21.71/shelters",
            headers=headers,
            json={
                "code": "u",
                "name": "UPT",
                "kind": "upt",
                "sections": [{"section": "male", "capacity": 2}],
            },
        )
        shelter_id = (await client.get("/api/v1/regions/21.71/shelters", headers=headers)).json()[
            0
        ]["shelter_id"]
        early = await client.post(
            "/api/v1/cases/c1/entries", headers=headers, json={"kind": "assessment"}
        )
        states = [
            (
                await client.post(
                    "/api/v1/cases/c1/admit",
                    headers=headers,
                    json={"shelter_id": shelter_id, "section": "male"},
                )
            ).json()["state"],
            (
                await client.post(
                    "/api/v1/cases/c1/entries",
                    headers=headers,
                    json={"kind": "assessment", "detail": {"needs": "tempat tinggal"}},
                )
            ).json()["state"],
            (
                await client.post(
                    "/api/v1/cases/c1/entries",
                    headers=headers,
                    json={"kind": "service", "detail": {"service": "konseling"}},
                )
            ).json()["state"],
            (
                await client.post(
                    "/api/v1/cases/c1/outcome",
                    headers=headers,
                    json={"outcome": "returned_to_family"},
                )
            ).json()["state"],
            (await client.post("/api/v1/cases/c1/close", headers=headers)).json()["state"],
        ]
        after = await client.post(
            "/api/v1/cases/c1/entries", headers=headers, json={"kind": "note"}
        )
    assert early.status_code == 409  # nothing to assess before admission
    assert states == ["admitted", "assessed", "in_service", "outcome", "closed"]
    assert after.status_code == 409
    await platform.engine.dispose()
