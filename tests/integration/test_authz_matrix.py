"""The authorisation matrix: every HTTP endpoint of every service, asked by every staff role of
the region, by nobody, and by staff of another region, against seeded data holding recognisable
personal values.

Endpoints come from each app's routes (a new one is probed without touching this file); the
roles an endpoint admits are read from its ``require(...)`` / ``current_staff`` dependency or its
``staff_page`` declaration. Who may *read* which personal data is written down here, from
docs/intake.md, docs/dispatch.md, docs/shelter.md and docs/notify.md (``SECRETS``).

Each principal gets its own copy of the seeded databases (its writes do not change what the
next one sees) and asks the reads before the writes. SQLite only, no broker: the apps' lifespans
are not started, the handlers are called as they are. Failures name the service, endpoint and
principal, never a personal value.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from shared.auth import AuthSettings, Role, Staff, issue_token
from tests.integration.api_support import (
    CASE_NOTE,
    HOME,
    INCIDENT_ADDRESS,
    INCIDENT_DESCRIPTION,
    MEMBER_OFF_TELEGRAM,
    MEMBER_ON_TELEGRAM,
    MESSAGE_TEXT,
    PERSON_ALIAS,
    PERSON_NAME,
    PERSON_NIK,
    PERSON_PHONE,
    REFERRAL_REASON,
    REPORTER_NAME,
    REPORTER_PHONE,
    SERVICES,
    SHELTER_NAME,
    SUPERVISORS_CHAT,
    TEAM_CHAT,
    TEAM_NAME,
    Seeds,
    client,
    create_service_app,
    end_live_streams,
    seed_database,
)
from tests.integration.authz_support import Endpoint, endpoints, probe_for
from tests.support import run_async

pytestmark = pytest.mark.integration
AUTH = AuthSettings(secret="m" * 48)

# Endpoints without a staff check, each with the reason it needs none.
PUBLIC = {
    "/livez": "liveness probe for the orchestrator",
    "/readyz": "readiness probe: database, broker and relay up or not, nothing else",
    "/metrics": "Prometheus scrape: counters and gauges, no records",
    "/openapi.json": "the API's description",
    "/docs": "the API's description for people",
    "/docs/oauth2-redirect": "part of the API description page",
    "/redoc": "the API's description for people",
    "/asyncapi.json": "the events' description",
    "/asyncapi.yaml": "the events' description",
    "/masuk": "the sign-in page",
    "/api/v1/auth/login": "signing in",
    "/api/v1/auth/logout": "signing out only clears the session cookie",
    "/": "sends the browser on to the page, which asks to sign in",
    "/assets": "the pages' shared scripts and styles",
    "/web": "a service's own page scripts and styles",
}
# Endpoints that take a key or a secret instead of a staff session: refused to any session.
KEYED = {
    "/api/v1/webhooks/social": "integrations sign with an intake API key (X-API-Key)",
    "/telegram/webhook": "Telegram sends the webhook's secret token (none is set here)",
}
OPENED_BY_THE_KEY = ("intake", "POST", "/api/v1/webhooks/social")


@dataclass(frozen=True)
class Principal:
    name: str
    roles: tuple[Role, ...] = ()
    region: str = HOME
    api_key: bool = False  # sends the seeded integration key (intake's) and no session

    @property
    def staff(self) -> Staff:
        return Staff(f"id-{self.name}", self.name, frozenset(self.roles), frozenset({self.region}))

    def headers(self, seeds: Seeds) -> dict[str, str]:
        if self.api_key:
            return {"X-API-Key": seeds.api_key or "trc_no-key-in-this-service"}
        if not self.roles:
            return {}
        return {"Authorization": f"Bearer {issue_token(self.staff, AUTH)}"}

    @property
    def at_home(self) -> bool:
        return bool(self.roles) and self.staff.covers(HOME)

    def holds(self, roles: frozenset[Role]) -> bool:
        return bool(self.roles) and self.staff.has(*roles)


NOBODY = Principal("no credentials")
INTEGRATION = Principal("an integration's API key", api_key=True)
STRANGER = Principal(  # every role but admin, in Kota Makassar
    "staff of another region",
    (Role.CALL_CENTER, Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR, Role.SHELTER_STAFF),
    "73.71",
)
PRINCIPALS = (
    NOBODY,
    INTEGRATION,
    Principal("call_center", (Role.CALL_CENTER,)),
    Principal("supervisor", (Role.SUPERVISOR,)),
    Principal("provincial_supervisor", (Role.PROVINCIAL_SUPERVISOR,), "21"),
    Principal("shelter_staff", (Role.SHELTER_STAFF,)),
    Principal("admin", (Role.ADMIN,)),
    STRANGER,
)


@dataclass(frozen=True)
class Secret:
    what: str
    values: tuple[str, ...]
    readers: frozenset[Role]  # of the region (admins too); empty: nobody, over any API

    def readable_by(self, principal: Principal) -> bool:
        return bool(self.readers) and principal.at_home and principal.holds(self.readers)


SECRETS = (
    Secret(
        "the reporter's name and phone (intake)",
        (REPORTER_NAME, REPORTER_PHONE, REPORTER_PHONE.replace(" ", "")[1:]),
        frozenset({Role.CALL_CENTER, Role.SUPERVISOR}),
    ),
    Secret(
        "a person record: name, alias, NIK, phone (shelter)",
        (PERSON_NAME, PERSON_ALIAS, PERSON_NIK, PERSON_PHONE, PERSON_PHONE.replace(" ", "")[1:]),
        frozenset({Role.SHELTER_STAFF, Role.SUPERVISOR}),
    ),
    Secret(
        "team members' names (dispatch)",
        (MEMBER_ON_TELEGRAM, MEMBER_OFF_TELEGRAM),
        frozenset({Role.CALL_CENTER, Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR}),
    ),
    Secret(
        "what was reported about the person: description, address (dispatch)",
        (INCIDENT_DESCRIPTION, INCIDENT_ADDRESS),
        frozenset({Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR}),
    ),
    Secret("a Telegram message's text (notify)", (MESSAGE_TEXT,), frozenset()),
    Secret(
        "the region's own records",
        (
            TEAM_NAME,
            SHELTER_NAME,
            REFERRAL_REASON,
            CASE_NOTE,
            str(TEAM_CHAT),
            str(SUPERVISORS_CHAT),
        ),
        frozenset(Role),
    ),
)
# A read of each service that the roles named must get (2xx): the matrix cannot pass by
# refusing everything.
EVERY_ROLE = ("call_center", "supervisor", "provincial_supervisor", "shelter_staff", "admin")
BOARD = ("call_center", "supervisor", "provincial_supervisor", "admin")
CASEWORK = ("shelter_staff", "supervisor", "admin")
READS = (
    ("intake", "GET /api/v1/reports/{report_id}", EVERY_ROLE),
    ("intake", "GET /api/v1/triage", ("call_center", "supervisor", "admin")),
    ("dispatch", "GET /api/v1/incidents/{incident_id}", BOARD),
    ("dispatch", "GET /api/v1/regions/{region_code}/members", BOARD),
    ("dispatch", "GET /api/v1/console/board", BOARD),
    ("shelter", "GET /api/v1/cases/{case_id}/person", CASEWORK),
    ("shelter", "GET /api/v1/regions/{region_code}/cases", CASEWORK),
    ("shelter", "GET /api/v1/regions/{region_code}/figures", (*CASEWORK, "provincial_supervisor")),
    ("notify", "GET /api/v1/deliveries", ("supervisor", "admin")),
)


@dataclass(frozen=True)
class Answer:
    service: str
    principal: Principal
    endpoint: Endpoint
    bound: bool
    status: int
    location: str
    text: str  # body and headers, case-folded

    @property
    def cell(self) -> tuple[str, str, str]:
        return self.service, self.endpoint.method, self.endpoint.path

    def where(self) -> str:
        e = self.endpoint
        return f"{self.service} {e.method} {e.path} as {self.principal.name} → {self.status}"

    def shows(self, secret: Secret) -> bool:
        return any(value.casefold() in self.text for value in secret.values)


async def _ask(service: str, principal: Principal, url: str, seeds: Seeds) -> list[Answer]:
    app = create_service_app(service, url, AUTH)
    end_live_streams(app)
    spec = app.openapi()
    probes = [probe_for(e, spec, seeds) for e in endpoints(app)]
    probes.sort(key=lambda p: p.endpoint.method != "GET")  # reads first, on untouched data
    answers = []
    try:
        async with client(app) as http:
            for p in probes:
                response = await asyncio.wait_for(
                    http.request(
                        p.endpoint.method,
                        p.url,
                        params=p.query,
                        json=p.json,
                        content=p.content,
                        headers={**principal.headers(seeds), **p.headers},
                    ),
                    timeout=15,
                )
                headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
                text = response.content.decode("utf-8", "replace") + " " + headers
                answers.append(
                    Answer(
                        service,
                        principal,
                        p.endpoint,
                        p.bound,
                        response.status_code,
                        response.headers.get("location", ""),
                        text.casefold(),
                    )
                )
    finally:
        await app.state.platform.engine.dispose()
    return answers


def _copy(template: Path, copy: Path) -> str:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{template}{suffix}").exists():
            shutil.copyfile(f"{template}{suffix}", f"{copy}{suffix}")
    return f"sqlite:///{copy}"


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> list[Answer]:
    """Every endpoint of every service asked by every principal, each on its own copy of the
    service's seeded database."""
    tmp = tmp_path_factory.mktemp("authz")
    found: list[Answer] = []
    for service in SERVICES:
        template = tmp / f"{service}.db"
        seeds = run_async(seed_database(service, f"sqlite:///{template}", AUTH))
        for n, principal in enumerate(PRINCIPALS):
            url = _copy(template, tmp / f"{service}-{n}.db")
            found += run_async(_ask(service, principal, url, seeds))
    return found


def _failures(found: list[str]) -> str:
    return f"{len(found)} cell(s):\n" + "\n".join(found)


def test_every_operation_of_every_schema_is_probed(answers: list[Answer], tmp_path: Path) -> None:
    for service in SERVICES:
        app = create_service_app(service, f"sqlite:///{tmp_path / service}.db", AUTH)
        operations = {
            (method.upper(), path)
            for path, item in app.openapi()["paths"].items()
            for method in item
        }
        probed = {(a.endpoint.method, a.endpoint.path) for a in answers if a.service == service}
        assert operations <= probed, (service, sorted(operations - probed))
        assert len(operations) >= 5, service
    declared = set(PUBLIC) | set(KEYED)
    seen = {a.endpoint.path for a in answers}
    assert declared <= seen, f"declared exceptions that no service serves: {declared - seen}"


def test_no_session_is_refused_except_on_the_declared_public_endpoints(
    answers: list[Answer],
) -> None:
    failures = []
    for a in (a for a in answers if a.principal in (NOBODY, INTEGRATION)):
        gate, path = a.endpoint.gate, a.endpoint.path
        if gate.kind == "staff" and a.status not in (401, 403):
            failures.append(f"{a.where()}: a staff API answered without a session")
        elif gate.kind == "page" and not (a.status == 303 and "/masuk" in a.location):
            failures.append(f"{a.where()}: a staff page not sending to the sign-in page")
        elif gate.kind == "open" and path not in PUBLIC and path not in KEYED:
            failures.append(f"{a.where()}: no staff check, and not declared public or keyed")
    assert not failures, _failures(failures)


def test_keyed_endpoints_open_to_their_key_only(answers: list[Answer]) -> None:
    failures = []
    for a in (a for a in answers if a.endpoint.path in KEYED):
        opens = a.principal is INTEGRATION and a.cell == OPENED_BY_THE_KEY
        if opens and not 200 <= a.status < 300:
            failures.append(f"{a.where()}: the integration's key did not open it")
        elif not opens and a.status not in (401, 403):
            failures.append(f"{a.where()}: opened without its key")
    assert not failures, _failures(failures)


def test_a_role_outside_an_endpoints_roles_is_refused_and_one_inside_is_let_through(
    answers: list[Answer],
) -> None:
    failures = []
    for a in answers:
        gate = a.endpoint.gate
        if not a.principal.at_home or gate.kind == "open":
            continue
        if a.principal.holds(gate.roles) and a.status in (401, 403):
            failures.append(f"{a.where()}: refused a role the endpoint admits")
        elif not a.principal.holds(gate.roles) and a.status != 403:
            failures.append(f"{a.where()}: a role the endpoint does not admit was not refused")
    assert not failures, _failures(failures)


def test_staff_of_another_region_are_refused_this_regions_records(answers: list[Answer]) -> None:
    failures = [
        f"{a.where()}: the other region's staff were not refused"
        for a in answers
        if a.principal is STRANGER
        and a.endpoint.gate.kind == "staff"
        and a.bound
        and a.status not in (403, 404)
    ]
    assert not failures, _failures(failures)


def test_personal_data_and_region_records_reach_only_those_who_may_read_them(
    answers: list[Answer],
) -> None:
    failures = [
        f"{a.where()}: shows {secret.what}"
        for a in answers
        for secret in SECRETS
        if not secret.readable_by(a.principal) and a.shows(secret)
    ]
    assert not failures, _failures(failures)


def test_those_who_may_read_something_do_see_it_somewhere(answers: list[Answer]) -> None:
    """The counterpart of the leak check: the seeded values are reachable, so their absence
    elsewhere means something."""
    missing = [
        f"{p.name} never sees {secret.what}"
        for secret in SECRETS
        for p in PRINCIPALS
        if secret.readable_by(p) and not any(a.shows(secret) for a in answers if a.principal is p)
    ]
    assert not missing, _failures(missing)


def test_the_roles_that_need_them_do_read_each_services_records(answers: list[Answer]) -> None:
    found = {(a.service, f"{a.endpoint.method} {a.endpoint.path}", a.principal.name): a
             for a in answers}  # fmt: skip
    failures = []
    for service, endpoint, readers in READS:
        for name in readers:
            a = found.get((service, endpoint, name))
            if a is None or not 200 <= a.status < 300:
                failures.append(f"{service} {endpoint} as {name}: {a.status if a else 'absent'}")
    assert not failures, _failures(failures)


def test_no_endpoint_answers_anyone_with_a_server_error(answers: list[Answer]) -> None:
    failures = [
        a.where()
        for a in answers
        if a.status >= 500 and not (a.endpoint.path == "/readyz" and a.status == 503)
    ]  # /readyz: 503 is its answer while the broker is away (there is none here)
    assert not failures, _failures(failures)
