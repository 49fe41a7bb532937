"""The four services in-process over HTTP only, each on its own SQLite file and seeded with
recognisable values: shared by the authorisation matrix and the API fuzzing.

No broker: the settings point Kafka (and notify's Telegram) at an address nothing listens on, so
a started lifespan's relay, consumers and bot just retry. Seeding goes through each service's
own API where it has one, and straight into its tables where only events fill them (dispatch's
incidents and projections, shelter's cases, notify's chats and deliveries).

The personal values below are invented; the tests look for them in responses and never print
them (a failure names the role and the endpoint, not the value).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from fastapi import FastAPI

from services.dispatch.app import create_app as create_dispatch
from services.dispatch.incidents.context import Ctx
from services.dispatch.incidents.reports import on_report
from services.dispatch.models import CaseProjection, ChatStatusProjection, ShelterProjection
from services.dispatch.settings import DispatchSettings
from services.intake.apikeys import create_key
from services.intake.app import create_app as create_intake
from services.intake.settings import IntakeSettings
from services.notify.app import create_app as create_notify
from services.notify.models import Chat, Delivery, KnownMember, KnownTeam
from services.notify.settings import NotifySettings
from services.shelter.app import create_app as create_shelter
from services.shelter.models import Case
from services.shelter.settings import ShelterSettings
from shared.auth import AuthSettings, Role
from shared.contracts.events import Location, ReportReceived
from shared.contracts.vocabulary import Channel, Priority
from shared.settings import KafkaSettings
from tests.support import staff_headers

SERVICES = ("intake", "dispatch", "shelter", "notify")
HOME = "21.71"  # Kota Batam: every seeded object lives here
NOWHERE = "127.0.0.1:1"

# Recognisable values, each kept by one service and shown only to some roles.
REPORTER_NAME = "Wulandari Prasetyaningrum"
REPORTER_PHONE = "0813 7788 9911"  # intake keeps it as +6281377889911
PERSON_NAME = "Sukarti Handayaningsih"
PERSON_ALIAS = "Mbok Tirah Sendangsari"
PERSON_NIK = "2171015507690003"
PERSON_PHONE = "0852 6677 1122"
MEMBER_ON_TELEGRAM = "Bambang Suryokusumo"
MEMBER_OFF_TELEGRAM = "Ratna Widyaningsih"
INCIDENT_DESCRIPTION = "Pria bicara sendiri di depan Ruko Cendrawasih Indah, tampak bingung"
INCIDENT_ADDRESS = "Jalan Teratai Tersembunyi 17"
MESSAGE_TEXT = "Pesan Kemuning Sembilan untuk tim"  # a Telegram message's text, never in the API
# Not personal, but the region's own: staff of another region never see them.
TEAM_NAME = "Tim Garuda Tanjung Uncang"
SHELTER_NAME = "Rumah Singgah Bougenville Lestari"
REFERRAL_REASON = "Observasi kejiwaan lanjutan di RSJ Provinsi"
CASE_NOTE = "Catatan Asesmen Anggrek Bulan"
TEAM_CHAT = -1001234509876
SUPERVISORS_CHAT = -1009988776655


def create_service_app(service: str, database_url: str, auth: AuthSettings) -> FastAPI:
    """``service``'s app on ``database_url``, reaching no broker and no Telegram."""
    common: dict[str, Any] = {
        "database_url": database_url,
        "auth": auth,
        "kafka": KafkaSettings(bootstrap=NOWHERE),
    }
    if service == "intake":
        return create_intake(IntakeSettings(**common, webhook_rate_limit="100000/minute"))
    if service == "dispatch":
        return create_dispatch(DispatchSettings(**common))
    if service == "shelter":
        return create_shelter(ShelterSettings(**common))
    if service == "notify":
        return create_notify(NotifySettings(**common, telegram_standin_url=f"http://{NOWHERE}"))
    raise ValueError(f"no such service: {service}")


def end_live_streams(app: FastAPI) -> None:
    """Dispatch's console stream never ends by itself: close its hub as a stopping server does,
    so each stream request is answered with its first line and returns."""
    hub = getattr(app.state, "console_hub", None)
    if hub is not None:
        hub.close()


@dataclass
class Seeds:
    """Ids of the seeded objects, by path parameter name; ``by_path`` first (longest prefix of
    the route's path) where one parameter names different objects on different routes."""

    ids: dict[str, str] = field(default_factory=dict)
    by_path: dict[str, dict[str, str]] = field(default_factory=dict)
    api_key: str | None = None

    def id_for(self, path: str, parameter: str) -> str | None:
        for prefix in sorted(self.by_path, key=len, reverse=True):
            if path.startswith(prefix) and parameter in self.by_path[prefix]:
                return self.by_path[prefix][parameter]
        return self.ids.get(parameter)


def client(app: FastAPI) -> httpx.AsyncClient:
    """An HTTP client to ``app`` in this process; a server error comes back as a 500."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://svc")


async def _call(
    http: httpx.AsyncClient, auth: AuthSettings, role: Role, method: str, path: str, body: Any
) -> Any:
    response = await http.request(method, path, json=body, headers=staff_headers(auth, role))
    assert response.status_code < 300, f"seeding {method} {path}: {response.status_code}"
    return response.json()


async def seed_intake(app: FastAPI, auth: AuthSettings) -> Seeds:
    """A report with the reporter's name and phone, a duplicate of it, one waiting in triage."""
    reporter = {"reporter_name": REPORTER_NAME, "reporter_phone": REPORTER_PHONE}
    near_market = "Nenek tua tidur di emperan toko Pasar Jodoh, tampak lemas"
    async with client(app) as http:
        post = "POST", "/api/v1/reports"
        first = await _call(http, auth, Role.CALL_CENTER, *post, {
            "region_code": HOME, "description": near_market, **reporter,
        })  # fmt: skip
        again = await _call(http, auth, Role.CALL_CENTER, *post, {
            "region_code": HOME, "description": "Nenek tua tidur di emperan Pasar Jodoh, tampak lemas",
        })  # fmt: skip
        waiting = await _call(http, auth, Role.CALL_CENTER, *post, {
            "region_code": HOME, "description": "Ada pengemis minta minta",
            "reporter_name": REPORTER_NAME,  # the same phone would link it to the first call
        })  # fmt: skip
    assert again["duplicate_of"] == first["report_id"] and waiting["status"] == "needs_triage"
    async with app.state.platform.sessions() as session:
        _, secret = await create_key(session, name="matrix", region_code=HOME)
        await session.commit()
    return Seeds(
        ids={"report_id": first["report_id"], "region_code": HOME},
        by_path={
            "/api/v1/triage/": {"report_id": waiting["report_id"]},
            "/api/v1/reports/{report_id}/unlink": {"report_id": again["report_id"]},
        },
        api_key=secret,
    )


async def seed_dispatch(app: FastAPI, auth: AuthSettings) -> Seeds:
    """A team on duty around the clock with two members, an incident it was assigned, and the
    shelter case and blocked chat dispatch learnt about from events."""
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    region = f"/api/v1/regions/{HOME}"
    async with client(app) as http:
        await _call(http, auth, Role.SUPERVISOR, "PUT", f"{region}/shifts", [
            {"code": "pagi", "starts": "07:00", "ends": "15:00"},
            {"code": "siang", "starts": "15:00", "ends": "23:00"},
            {"code": "malam", "starts": "23:00", "ends": "07:00"},
        ])  # fmt: skip
        teams = await _call(http, auth, Role.SUPERVISOR, "POST", f"{region}/teams", [
            {"code": "GRD", "name": TEAM_NAME, "capacity": 2, "zones": ["Sekupang"]},
        ])  # fmt: skip
        await _call(http, auth, Role.SUPERVISOR, "POST", f"{region}/members", [
            {"code": "m-1", "name": MEMBER_ON_TELEGRAM, "role": "leader",
             "telegram_user_id": 770001, "teams": ["GRD"]},
            {"code": "m-2", "name": MEMBER_OFF_TELEGRAM, "teams": ["GRD"]},
        ])  # fmt: skip
        await _call(http, auth, Role.SUPERVISOR, "POST", f"{region}/roster", [
            {"day": str(today + timedelta(days=d)), "shift": shift, "team_code": "GRD"}
            for d in (-1, 0, 1)
            for shift in ("pagi", "siang", "malam")
        ])  # fmt: skip
    team_id = teams[0]["team_id"]
    platform = app.state.platform
    now = datetime.now(UTC)
    report = ReportReceived(
        report_id="rep-matrix-1",
        channel=Channel.CALL_CENTER,
        category="odgj_terlantar",
        priority=Priority.P2,
        description=INCIDENT_DESCRIPTION,
        location=Location(address=INCIDENT_ADDRESS, kecamatan="Sekupang"),
        received_at=now,
    )
    async with platform.uow() as uow:
        incident = await on_report(Ctx(uow.session, uow.emit, now, app.state.rules), HOME, report)
        uow.session.add_all([
            ShelterProjection(shelter_id="sh-1", section="male", region_code=HOME,
                              name=SHELTER_NAME, kind="rumah_singgah", capacity=10, updated_at=now),
            CaseProjection(case_id="case-1", incident_id=incident.id, region_code=HOME,
                           category="odgj_terlantar", state="admitted", shelter_id="sh-1",
                           section="male", opened_at=now, admitted_at=now, updated_at=now),
            ChatStatusProjection(chat_id=TEAM_CHAT, region_code=HOME, team_id=team_id,
                                 kind="team_group", blocked=True, reason="bot blocked", at=now),
        ])  # fmt: skip
        await uow.commit()
    assert incident.team_id == team_id, "the seeded incident should be assigned"
    return Seeds(ids={"incident_id": incident.id, "region_code": HOME, "kind": "teams"})


async def seed_shelter(app: FastAPI, auth: AuthSettings) -> Seeds:
    """A shelter, a case admitted there with a person record, a note and a referral."""
    platform = app.state.platform
    async with platform.uow() as uow:
        uow.session.add(
            Case(id="case-1", region_code=HOME, incident_id="inc-1", seq=1,
                 category="lanjut_usia_terlantar", state="awaiting_admission",
                 opened_at=datetime.now(UTC))
        )  # fmt: skip
        await uow.commit()
    async with client(app) as http:
        sections = await _call(http, auth, Role.SUPERVISOR, "POST",
                               f"/api/v1/regions/{HOME}/shelters", {
            "code": "RSB", "name": SHELTER_NAME, "kind": "rumah_singgah",
            "sections": [{"section": "female", "capacity": 10}],
        })  # fmt: skip
        case = "/api/v1/cases/case-1"
        staff = Role.SHELTER_STAFF
        await _call(http, auth, staff, "POST", f"{case}/admit", {
            "shelter_id": sections[0]["shelter_id"], "section": "female",
        })  # fmt: skip
        person = await _call(http, auth, staff, "PUT", f"{case}/person", {
            "name": PERSON_NAME, "alias": PERSON_ALIAS, "sex": "female", "estimated_age": 66,
            "nik": PERSON_NIK, "phone": PERSON_PHONE, "origin_region_code": "33.74",
            "identification": "ktp_seen",
        })  # fmt: skip
        await _call(http, auth, staff, "POST", f"{case}/entries", {
            "kind": "note", "detail": {"text": CASE_NOTE},
        })  # fmt: skip
        referral = await _call(http, auth, staff, "POST", f"{case}/referrals", {
            "to_kind": "hospital", "to_name": "RSJ Provinsi", "reason": REFERRAL_REASON,
        })  # fmt: skip
    return Seeds(
        ids={
            "region_code": HOME,
            "case_id": "case-1",
            "person_id": person["person_id"],
            "referral_id": referral["referral_id"],
        }
    )


async def seed_notify(app: FastAPI, auth: AuthSettings) -> Seeds:
    """A team's chat and member, a message delivered to it, the supervisors' group."""
    now = datetime.now(UTC)
    async with app.state.platform.uow() as uow:
        uow.session.add_all([
            KnownTeam(team_id="team-1", region_code=HOME, code="GRD", name=TEAM_NAME,
                      chat_id=TEAM_CHAT),
            Chat(chat_id=TEAM_CHAT, region_code=HOME, purpose="team", team_id="team-1"),
            KnownMember(team_id="team-1", telegram_user_id=770001, member_id="m-1",
                        name=MEMBER_ON_TELEGRAM, role="leader"),
            Delivery(event_id="ev-1", chat_id=TEAM_CHAT, purpose="assignment", priority=2,
                     text=f"{INCIDENT_ADDRESS}: {MESSAGE_TEXT}", state="sent", attempts=1,
                     next_attempt_at=now, created_at=now, sent_at=now),
        ])  # fmt: skip
        await uow.commit()
    async with client(app) as http:
        await _call(
            http,
            auth,
            Role.SUPERVISOR,
            "PUT",
            f"/api/v1/regions/{HOME}/supervisors-chat",
            {"chat_id": SUPERVISORS_CHAT},
        )
    return Seeds(ids={"region_code": HOME})


SEEDERS: dict[str, Callable[[FastAPI, AuthSettings], Awaitable[Seeds]]] = {
    "intake": seed_intake,
    "dispatch": seed_dispatch,
    "shelter": seed_shelter,
    "notify": seed_notify,
}


async def seed_database(service: str, database_url: str, auth: AuthSettings) -> Seeds:
    """Migrate ``service``'s database at ``database_url`` and seed it; the engine is closed
    afterwards (the file may be copied, and the app built again on it)."""
    app = create_service_app(service, database_url, auth)
    platform = app.state.platform
    try:
        await platform.migrate()
        return await SEEDERS[service](app, auth)
    finally:
        await platform.engine.dispose()
