"""The triage queue: one operator per report, claims expire, and a completed report reaches
dispatch while a dismissed one never does."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import select

from services.intake import triage
from services.intake.app import create_app
from services.intake.ingest import Submission, ingest
from services.intake.models import Report
from services.intake.settings import IntakeSettings
from shared.auth import AuthSettings, Role
from shared.contracts.events import Location
from shared.messaging.outbox import OutboxSignal
from shared.messaging.tables import OutboxMessage
from shared.messaging.uow import UnitOfWork
from shared.settings import KafkaSettings
from tests.support import staff_headers

pytestmark = pytest.mark.integration
T0 = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)
AUTH = AuthSettings(secret="t" * 48)


@pytest.fixture
def sessions(intake_sessions: Any) -> Any:
    return intake_sessions


async def waiting(
    sessions: Any, text: str = "Ada pengemis minta minta", at: datetime = T0
) -> Report:
    async with UnitOfWork(sessions, producer="intake", signal=OutboxSignal()) as uow:
        sub = Submission(
            region_code="21.71",
            channel="social_media",
            source_ref=text,
            description=text,
            reported_at=at,
        )
        report = (await ingest(uow.session, sub, uow.emit, now=at)).report
        await uow.commit()
    assert report.status == "needs_triage"
    return report


async def act(sessions: Any, fn: Any, *args: Any, **kwargs: Any) -> Report:
    async with UnitOfWork(sessions, producer="intake", signal=OutboxSignal()) as uow:
        report = await fn(uow.session, *args, **kwargs)
        await uow.commit()
    return report


async def test_one_operator_at_a_time_until_the_claim_expires(sessions) -> None:
    report = await waiting(sessions)
    await act(sessions, triage.claim, report.id, "rina", T0)
    with pytest.raises(triage.TriageConflict) as held:
        await act(sessions, triage.claim, report.id, "budi", T0 + timedelta(minutes=5))
    assert held.value.holder == "rina"
    taken = await act(sessions, triage.claim, report.id, "budi", T0 + timedelta(minutes=11))
    assert taken.claimed_by == "budi"


async def test_a_completed_report_goes_to_dispatch_a_dismissed_one_never(sessions) -> None:
    beggar, noise = await waiting(sessions), await waiting(sessions, "Promo diskon besar")
    now = datetime.now(UTC)
    for report in (beggar, noise):
        await act(sessions, triage.claim, report.id, "rina", now)
    async with UnitOfWork(sessions, producer="intake", signal=OutboxSignal()) as uow:
        done = await triage.dispatch(
            uow.session,
            beggar.id,
            "rina",
            category="pengemis",
            location=Location(kecamatan="Lubuk Baja", kelurahan="Baloi Indah"),
            danger_flags=[],
            emit=uow.emit,
        )
        await uow.commit()
    dismissed = await act(sessions, triage.dismiss, noise.id, "rina", "iklan, bukan laporan")
    assert (done.status, done.priority, done.kelurahan) == ("open", "P3", "Baloi Indah")
    assert dismissed.status == "dismissed"
    async with sessions() as s:
        [event] = (await s.exec(select(OutboxMessage))).all()
    assert json.loads(event.value)["payload"]["report_id"] == beggar.id


async def test_a_p1_waiting_for_a_place_is_read_before_older_reports(sessions) -> None:
    older = await waiting(sessions, "Ada pengemis minta minta", T0)
    urgent = await waiting(sessions, URGENT_NO_PLACE, T0 + timedelta(minutes=5))
    newest = await waiting(
        sessions, "Ada bapak2 gelandangan tidur di emperan", T0 + timedelta(minutes=9)
    )
    assert urgent.priority == "P1" and {older.priority, newest.priority} <= {"P2", "P3", "P4"}
    async with sessions() as session:
        listed = await triage.queue(session, lambda _region: True)
    assert [r.id for r in listed] == [urgent.id, older.id, newest.id]


URGENT_NO_PLACE = "tolong ada bayi ditinggal sendirian di emperan toko, nangis terus dari tadi"


async def test_only_the_holder_may_complete_it(sessions) -> None:
    report = await waiting(sessions)
    with pytest.raises(triage.TriageConflict):
        await act(sessions, triage.dismiss, report.id, "rina", "x" * 5)
    await act(sessions, triage.claim, report.id, "budi", datetime.now(UTC))
    with pytest.raises(triage.TriageConflict):
        await act(sessions, triage.dismiss, report.id, "rina", "x" * 5)


async def test_the_queue_over_http_shows_who_holds_what(
    kafka_bootstrap, topic_prefix, new_database
) -> None:
    settings = IntakeSettings(
        database_url=new_database("intake"),
        auth=AUTH,
        kafka=KafkaSettings(bootstrap=kafka_bootstrap, topic_prefix=topic_prefix),
    )
    app = create_app(settings)

    rina = staff_headers(AUTH, Role.CALL_CENTER, username="rina")
    budi = staff_headers(AUTH, Role.CALL_CENTER, username="budi")
    andi_in_makassar = staff_headers(AUTH, Role.CALL_CENTER, "73.71", "andi")

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
            report = await waiting(app.state.platform.sessions)
            urgent = await waiting(
                app.state.platform.sessions, URGENT_NO_PLACE, T0 + timedelta(minutes=5)
            )
            first = (await client.get("/api/v1/triage", headers=budi)).json()
            claimed = await client.post(f"/api/v1/triage/{report.id}/claim", headers=rina)
            clash = await client.post(f"/api/v1/triage/{report.id}/claim", headers=budi)
            queue = (await client.get("/api/v1/triage", headers=budi)).json()
            elsewhere = (await client.get("/api/v1/triage", headers=andi_in_makassar)).json()
            sent = await client.post(
                f"/api/v1/triage/{report.id}/dispatch",
                headers=rina,
                json={
                    "category": "pengemis",
                    "location": {"kelurahan": "Belian", "kecamatan": "Batam Kota"},
                },
            )
    assert [(i["report_id"], i["priority"]) for i in first] == [
        (urgent.id, "P1"),
        (report.id, report.priority),
    ]  # the most urgent first, then the oldest
    assert claimed.status_code == 200
    assert clash.status_code == 409 and "rina" in clash.text
    assert [(i["report_id"], i["claimed_by"]) for i in queue] == [
        (urgent.id, None),
        (report.id, "rina"),
    ]
    assert elsewhere == []
    assert sent.status_code == 200 and sent.json()["status"] == "open"
