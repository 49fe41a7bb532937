"""A case's rehabilitation plan (stages in order, each with its due date), family tracing steps,
referrals answered with a reason, and a person's data exported on request and erased after —
audited, and the figures unchanged by the erasure."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import select

from services.shelter.app import create_app
from services.shelter.cases import privacy
from services.shelter.models import Case, Person, PersonAudit
from services.shelter.settings import ShelterSettings
from shared.auth import AuthSettings, Role
from shared.settings import KafkaSettings
from tests.support import staff_headers

pytestmark = pytest.mark.integration
AUTH = AuthSettings(secret="r" * 48)
REGION = "21.71"
NIK = "2171010101800003"


def headers(role: Role = Role.SHELTER_STAFF, region: str = REGION) -> dict[str, str]:
    return staff_headers(AUTH, role, region, "wati")


@pytest.fixture
async def shelter(new_database: Any) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    """The shelter's HTTP side on a fresh database (no broker needed: events wait in the
    outbox), with one UPT and one case awaiting admission."""
    app = create_app(
        ShelterSettings(
            database_url=new_database("shelter"),
            auth=AUTH,
            kafka=KafkaSettings(bootstrap="127.0.0.1:1"),
            service_days={"odgj_terlantar": 14},
        )
    )
    platform = app.state.platform
    await platform.migrate()
    async with platform.uow() as uow:
        uow.session.add(
            Case(
                id="c1",
                region_code=REGION,
                incident_id="i1",
                seq=1,
                category="odgj_terlantar",
                state="awaiting_admission",
                opened_at=datetime.now(UTC),
            )
        )
        await uow.commit()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://shelter"
    ) as client:
        made = await client.post(
            f"/api/v1/regions/{REGION}/shelters",
            headers=headers(Role.SUPERVISOR),
            json={
                "code": "nilam",
                "name": "UPT Nilam Suri",
                "kind": "upt",
                "sections": [{"section": "odgj_observation", "capacity": 4}],
            },
        )
        assert made.status_code == 200, made.text
        yield app, client
    await platform.engine.dispose()


async def _admit(client: httpx.AsyncClient, case_id: str = "c1") -> None:
    shelter_id = (await client.get(f"/api/v1/regions/{REGION}/shelters", headers=headers())).json()[
        0
    ]["shelter_id"]
    admitted = await client.post(
        f"/api/v1/cases/{case_id}/admit",
        headers=headers(),
        json={"shelter_id": shelter_id, "section": "odgj_observation"},
    )
    assert admitted.status_code == 200, admitted.text


async def test_the_stages_come_in_order_with_their_due_dates_and_tracing_steps_are_dated(
    shelter: Any,
) -> None:
    _, client = shelter
    before = (await client.get("/api/v1/cases/c1", headers=headers())).json()
    assert before["plan"] == []  # no plan before admission
    await _admit(client)

    async def step(body: dict[str, Any]) -> httpx.Response:
        return await client.post("/api/v1/cases/c1/entries", headers=headers(), json=body)

    skipped = await step({"kind": "stage", "stage": "penyusunan_rencana"})
    assert skipped.status_code == 409 and "pengungkapan_masalah" in skipped.text
    assert (await step({"kind": "stage"})).status_code == 422  # which stage, then?
    disclosed = await step({"kind": "assessment", "detail": {"needs": "obat rutin"}})
    assert disclosed.json()["state"] == "assessed"
    again = await step({"kind": "stage", "stage": "pengungkapan_masalah"})
    assert again.status_code == 409 and "already done" in again.text
    assert (await step({"kind": "stage", "stage": "penyusunan_rencana"})).status_code == 200
    solving = await step({"kind": "stage", "stage": "pemecahan_masalah"})
    assert solving.json()["state"] == "in_service"
    traced = await step(
        {
            "kind": "tracing",
            "happened_on": "2026-11-20",
            "result": "Kakak ditemukan di Tanjung Uncang",
            "detail": {"how": "kunjungan RT"},
        }
    )
    assert traced.status_code == 200, traced.text
    assert (await step({"kind": "stage", "stage": "terminasi"})).status_code == 409

    detail = (await client.get("/api/v1/cases/c1", headers=headers())).json()
    plan = {p["stage"]: p for p in detail["plan"]}
    admitted_at = datetime.fromisoformat(detail["case"]["admitted_at"])
    due_days = {
        stage: (datetime.fromisoformat(p["due_at"]) - admitted_at).days for stage, p in plan.items()
    }
    assert due_days == {  # ODGJ: 14 days; assessment in 3, the plan 2 later, then 60/85/100 %
        "pendekatan_awal": 0,
        "pengungkapan_masalah": 3,
        "penyusunan_rencana": 5,
        "pemecahan_masalah": 9,
        "resosialisasi": 12,
        "terminasi": 14,
    }
    assert [p["done"] for p in detail["plan"]] == [True, True, True, True, False, False]
    assert not any(p["late"] for p in detail["plan"])
    assert detail["stage"] == "pemecahan_masalah"
    [tracing] = [e for e in detail["timeline"] if e["kind"] == "tracing"]
    assert tracing["detail"] == {
        "how": "kunjungan RT",
        "date": "2026-11-20",
        "result": "Kakak ditemukan di Tanjung Uncang",
    }
    assert (await step({"kind": "reunification", "result": "dijemput kakak"})).status_code == 200
    ended = await client.post(
        "/api/v1/cases/c1/outcome", headers=headers(), json={"outcome": "returned_to_family"}
    )
    assert ended.status_code == 200
    done = (await client.get("/api/v1/cases/c1", headers=headers())).json()["plan"]
    assert all(p["done"] for p in done)
    refused = await client.get("/api/v1/cases/c1", headers=headers(Role.CALL_CENTER))
    elsewhere = await client.get("/api/v1/cases/c1", headers=headers(region="73.71"))
    assert (refused.status_code, elsewhere.status_code) == (403, 404)


async def test_a_referral_is_answered_once_with_a_reason_and_kept_in_the_timeline(
    shelter: Any,
) -> None:
    _, client = shelter
    await _admit(client)
    to_rsj = {"to_kind": "hospital", "to_name": "RSJ Provinsi", "reason": "halusinasi berat"}
    made = await client.post("/api/v1/cases/c1/referrals", headers=headers(), json=to_rsj)
    assert made.status_code == 200, made.text
    referral = made.json()
    assert (referral["state"], referral["direction"]) == ("pending", "outgoing")
    no_region = await client.post(
        "/api/v1/cases/c1/referrals",
        headers=headers(),
        json={"to_kind": "region_of_origin", "reason": "pulang kampung"},
    )
    assert no_region.status_code == 409 and "to_region_code" in no_region.text
    answer = f"/api/v1/referrals/{referral['referral_id']}/answer"
    refused = await client.post(
        answer, headers=headers(Role.CALL_CENTER), json={"accepted": True, "reason": "oke"}
    )
    elsewhere = await client.post(
        answer, headers=headers(region="73.71"), json={"accepted": True, "reason": "oke"}
    )
    assert (refused.status_code, elsewhere.status_code) == (403, 404)
    rejected = await client.post(
        answer, headers=headers(), json={"accepted": False, "reason": "tempat tidur penuh"}
    )
    assert rejected.json()["state"] == "rejected" and rejected.json()["answered_by"] == "wati"
    twice = await client.post(
        answer, headers=headers(), json={"accepted": True, "reason": "ya, diterima"}
    )
    assert twice.status_code == 409
    listed = (
        await client.get(
            f"/api/v1/regions/{REGION}/referrals",
            params={"direction": "outgoing", "state": "rejected"},
            headers=headers(),
        )
    ).json()
    assert [r["referral_id"] for r in listed] == [referral["referral_id"]]
    timeline = (await client.get("/api/v1/cases/c1", headers=headers())).json()["timeline"]
    assert [e["kind"] for e in timeline][-2:] == ["referral", "referral_answer"]
    assert timeline[-1]["detail"] == {
        "referral_id": referral["referral_id"],
        "accepted": False,
        "reason": "tempat tidur penuh",
    }


async def test_a_persons_data_is_exported_on_request_and_erased_without_changing_the_figures(
    shelter: Any,
) -> None:
    app, client = shelter
    platform = app.state.platform
    await _admit(client)
    person = {"name": "Pak Udin", "sex": "male", "estimated_age": 44, "nik": NIK}
    person_id = (
        await client.put("/api/v1/cases/c1/person", headers=headers(), json=person)
    ).json()["person_id"]
    export = f"/api/v1/people/{person_id}/export"
    by_staff = await client.get(export, headers=headers())
    elsewhere = await client.get(export, headers=headers(Role.SUPERVISOR, "73.71"))
    assert (by_staff.status_code, elsewhere.status_code) == (403, 404)
    exported = await client.get(export, headers=headers(Role.SUPERVISOR))
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    data = exported.json()
    assert (data["person"]["name"], data["person"]["nik"]) == ("Pak Udin", NIK)
    assert [c["case_id"] for c in data["cases"]] == ["c1"]
    assert [e["kind"] for e in data["cases"][0]["timeline"]] == ["admission"]
    assert [a["action"] for a in data["access_log"]] == ["create", "export"]  # this one too

    erase = f"/api/v1/people/{person_id}/erase"
    still_open = await client.post(
        erase, headers=headers(Role.SUPERVISOR), json={"reason": "permintaan"}
    )
    assert still_open.status_code == 409
    for path, body in (
        ("outcome", {"outcome": "independent", "detail": "bekerja di bengkel Pak Udin"}),
        ("close", None),
    ):
        assert (
            await client.post(f"/api/v1/cases/c1/{path}", headers=headers(), json=body)
        ).status_code == 200
    figures_url = f"/api/v1/regions/{REGION}/figures"
    today = datetime.now(UTC) + timedelta(hours=7)
    period = {"from": str(today.date()), "to": str((today + timedelta(days=1)).date())}
    before = (await client.get(figures_url, params=period, headers=headers())).json()
    assert (
        await client.post(erase, headers=headers(Role.SUPERVISOR), json={"reason": "permintaan"})
    ).status_code == 200
    after = (await client.get(figures_url, params=period, headers=headers())).json()
    assert before == after and ("ppks_mandiri", "count", 1) in {
        (f["figure"], f["key"], f["value"]) for f in after["figures"]
    }
    async with platform.sessions() as session:
        erased = await session.get(Person, person_id)
        case = await session.get(Case, "c1")
        actions = [
            a.action
            for a in (
                await session.exec(select(PersonAudit).order_by(PersonAudit.id))  # type: ignore[arg-type]
            ).all()
        ]
    assert erased is not None and erased.erased_at is not None
    assert (erased.name, erased.nik_sealed, erased.nik_search) == (None, None, None)
    assert (erased.sex, erased.estimated_age) == ("male", 44)  # what the figures may need
    assert case is not None and case.outcome == "independent" and case.outcome_detail is None
    assert actions == ["create", "export", "erase"]
    after_erasure = (await client.get(export, headers=headers(Role.SUPERVISOR))).json()
    assert "Pak Udin" not in str(after_erasure) and NIK not in str(after_erasure)


async def test_people_are_anonymised_once_their_retention_period_has_passed(shelter: Any) -> None:
    app, client = shelter
    platform = app.state.platform
    for case_id in ("c2", "c3"):
        async with platform.uow() as uow:
            uow.session.add(
                Case(
                    id=case_id,
                    region_code=REGION,
                    incident_id=case_id,
                    seq=1,
                    category="gepeng",
                    state="awaiting_admission",
                    opened_at=datetime.now(UTC),
                )
            )
            await uow.commit()
    for case_id, name in (("c1", "Bu Ani"), ("c2", "Pak Beni")):
        saved = await client.put(
            f"/api/v1/cases/{case_id}/person", headers=headers(), json={"name": name}
        )
        assert saved.status_code == 200
    beni = (await client.get("/api/v1/cases/c2/person", headers=headers())).json()["person_id"]
    confirmed = await client.put(  # Pak Beni again, on a third case still open
        "/api/v1/cases/c3/person", headers=headers(), json={"same_as": beni}
    )
    assert confirmed.json()["person_id"] == beni
    long_ago = datetime.now(UTC) - timedelta(days=2000)
    async with platform.uow() as uow:
        for case_id in ("c1", "c2"):
            case = await uow.session.get(Case, case_id)
            assert case is not None
            case.state, case.outcome, case.closed_at = "closed", "independent", long_ago
        await uow.commit()
    async with platform.uow() as uow:
        erased = await privacy.erase_expired(uow.session, datetime.now(UTC), retention_days=1825)
        await uow.commit()
    async with platform.sessions() as session:
        names = sorted(str(p.name) for p in (await session.exec(select(Person))).all())
    assert erased == 1 and names == ["None", "Pak Beni"]  # Pak Beni still has an open case
