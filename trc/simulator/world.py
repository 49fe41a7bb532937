"""Setting a region up on a running stack, through the same doors its staff use: accounts and an
integration key (the ``trc user`` / ``trc apikey`` commands), shifts, teams, members and the
roster (dispatch's API), each team's Telegram group linked with ``/daftar`` (the stand-in),
the supervisors' chat (notify) and the shelters (shelter). Running it again changes nothing."""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from trc.simulator.scenario import Scenario, TeamSpec

ROLES = {"supervisor": "supervisor", "operator": "call_center", "shelter": "shelter_staff"}


@dataclass(frozen=True)
class Endpoints:
    intake: str
    dispatch: str
    shelter: str
    notify: str
    telegram: str

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, host: str = "127.0.0.1") -> Endpoints:
        """The stack's addresses from the same variables `trc up` reads (defaults 8001–8004)."""
        env = dict(os.environ if env is None else env)
        port = lambda name, default: env.get(f"TRC_{name.upper()}_HTTP_PORT", str(default))  # noqa: E731
        return cls(
            intake=f"http://{host}:{port('intake', 8001)}",
            dispatch=f"http://{host}:{port('dispatch', 8002)}",
            shelter=f"http://{host}:{port('shelter', 8003)}",
            notify=f"http://{host}:{port('notify', 8004)}",
            telegram=f"http://{host}:{env.get('TRC_TELEGRAM_STANDIN_PORT', '8081')}",
        )


@dataclass
class Member:
    code: str
    telegram_id: int
    kind: str


@dataclass
class World:
    """What the simulation needs to act: sessions, the key, chats and members of each team."""

    scenario: Scenario
    tokens: dict[str, str]  # supervisor | operator | shelter → bearer token
    api_key: str
    places: dict[str, list[str]]  # kecamatan → kelurahan
    zone_label: str
    chats: dict[str, int] = field(default_factory=dict)  # team code → group chat id
    members: dict[str, list[Member]] = field(default_factory=dict)  # team code → members
    supervisors_chat: int = 0
    operator: str = ""  # the call-center account's username (its triage claims)

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def _number(region_code: str) -> int:
    return int(region_code.replace(".", ""))


def member_id(region_code: str, team_index: int, n: int) -> int:
    """Stable numeric Telegram user ids for the simulated members of a region."""
    return 8_000_000_000 + _number(region_code) * 10_000 + team_index * 100 + n


def team_chat_id(region_code: str, team_index: int) -> int:
    return -(1_009_000_000_000 + _number(region_code) * 100 + team_index)


def members_of(scenario: Scenario, index: int, team: TeamSpec) -> list[Member]:
    kinds = ["staff"] * team.staff + ["bko"] * team.bko
    return [
        Member(f"{team.code}-{n + 1:02d}", member_id(scenario.region_code, index, n + 1), kind)
        for n, kind in enumerate(kinds)
    ]


# ---------------------------------------------------------------------- accounts and keys
class Credentials:
    """The simulation's staff accounts and integration key, kept (mode 600) in the data folder
    so a second run signs in with them instead of making new ones."""

    def __init__(self, data_dir: Path, env: dict[str, str]) -> None:
        self.path = data_dir / ".simulator.json"
        self.env = {**env, "TRC_DATA_DIR": str(data_dir)}
        self.saved: dict[str, Any] = json.loads(self.path.read_text()) if self.path.exists() else {}
        self._lock = threading.Lock()

    def _save(self, name: str, secret: str) -> None:
        with self._lock:  # accounts are made side by side (threads)
            self.saved[name] = secret
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.saved, indent=1))
            self.path.chmod(0o600)

    def account(self, who: str, region_code: str) -> tuple[str, str]:
        username = f"sim-{who}-{region_code.replace('.', '')}"
        if username not in self.saved:
            password = secrets.token_urlsafe(16)
            command = [sys.executable, "-m", "services.dispatch", "user", "create", username,
                       "--name", f"Simulasi {who}", "--role", ROLES[who], "--region", region_code,
                       "--password-env", "TRC_SIM_PASSWORD"]  # fmt: skip
            _run(command, {**self.env, "TRC_SIM_PASSWORD": password})
            self._save(username, password)
        return username, self.saved[username]

    def api_key(self, region_code: str) -> str:
        name = f"sim-social-{region_code}"
        if name not in self.saved:
            command = [sys.executable, "-m", "services.intake", "apikey", "create",
                       "--name", name, "--region", region_code]  # fmt: skip
            found = re.search(r"^key (\S+)$", _run(command, self.env), re.MULTILINE)
            if found is None:
                raise RuntimeError("the integration key was not printed")
            self._save(name, found.group(1))
        return str(self.saved[name])


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[2:5])} failed: {done.stdout}{done.stderr}")
    return done.stdout


# ---------------------------------------------------------------------- the region
async def _ok(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:300]}"
        )
    return response.json() if response.content else None


async def sign_in(urls: Endpoints, username: str, password: str) -> str:
    """A bearer token (a client of its own: the session cookie would make later calls need the
    browser's CSRF token)."""
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.post(
            f"{urls.dispatch}/api/v1/auth/login", json={"username": username, "password": password}
        )
    return str((await _ok(answer))["token"])


async def build(
    http: httpx.AsyncClient, urls: Endpoints, scenario: Scenario, creds: Credentials, days: float
) -> World:
    region = scenario.region_code
    try:
        await _ok(await http.get(f"{urls.telegram}/_standin/state"))
    except (httpx.HTTPError, RuntimeError):
        raise RuntimeError(
            f"no Telegram stand-in at {urls.telegram}: the simulated members press their buttons "
            "there (run the stack without TELEGRAM_BOT_TOKEN, or set TRC_TELEGRAM_STANDIN_PORT)"
        ) from None
    # Each account and the key is a command of its own (a Python process): made side by side.
    key = asyncio.create_task(asyncio.to_thread(creds.api_key, region))
    made = await asyncio.gather(*(asyncio.to_thread(creds.account, who, region) for who in ROLES))
    api_key, accounts = await key, dict(zip(ROLES, made, strict=True))
    tokens, usernames = {}, {}
    for who, (username, password) in accounts.items():
        usernames[who] = username
        tokens[who] = await sign_in(urls, username, password)
    places = await _ok(
        await http.get(
            f"{urls.intake}/api/v1/reference/regions/{region}",
            headers={"Authorization": f"Bearer {tokens['operator']}"},
        )
    )
    world = World(
        scenario=scenario,
        tokens=tokens,
        api_key=api_key,
        places={k["name"]: list(k["kelurahan"]) for k in places["kecamatan"]},
        zone_label=places["zone_label"],
        operator=usernames["operator"],
    )
    await _roster(http, urls, world, days)
    await _telegram(http, urls, world)
    await _shelters(http, urls, world)
    return world


async def _roster(http: httpx.AsyncClient, urls: Endpoints, world: World, days: float) -> None:
    scenario, headers = world.scenario, world.headers("supervisor")
    base = f"{urls.dispatch}/api/v1/regions/{scenario.region_code}"
    shifts = [s.model_dump() for s in scenario.shifts]
    await _ok(await http.put(f"{base}/shifts", json=shifts, headers=headers))
    teams = [
        {"code": t.code, "name": t.name, "capacity": t.capacity, "zones": t.zones}
        for t in scenario.teams
    ]
    await _ok(await http.post(f"{base}/teams", json=teams, headers=headers))
    members = []
    for index, team in enumerate(scenario.teams):
        world.members[team.code] = members_of(scenario, index, team)
        members += [
            {"code": m.code, "name": f"Anggota {m.code}", "kind": m.kind,
             "role": "leader" if n == 0 else "member", "telegram_user_id": m.telegram_id,
             "teams": [team.code]}
            for n, m in enumerate(world.members[team.code])
        ]  # fmt: skip
    await _ok(await http.post(f"{base}/members", json=members, headers=headers))
    today = date.today()
    slots = [
        {"day": (today + timedelta(days=d)).isoformat(), "shift": t.shift, "team_code": t.code}
        for d in range(-1, int(days) + 2)
        for t in scenario.teams
    ]
    await _ok(await http.post(f"{base}/roster", json=slots, headers=headers))


async def _telegram(http: httpx.AsyncClient, urls: Endpoints, world: World) -> None:
    """Each team's group in the stand-in, linked by one of its members with /daftar."""
    scenario = world.scenario
    for index, team in enumerate(scenario.teams):
        chat = team_chat_id(scenario.region_code, index)
        world.chats[team.code] = chat
        await _ok(
            await http.post(
                f"{urls.telegram}/_standin/chats",
                json={"id": chat, "type": "group", "title": f"TRC {team.name}"},
            )
        )
        await _link(http, urls, chat, team.code, world.members[team.code][0].telegram_id)
    world.supervisors_chat = team_chat_id(scenario.region_code, 99)
    await _ok(
        await http.post(
            f"{urls.telegram}/_standin/chats",
            json={"id": world.supervisors_chat, "type": "group", "title": "Supervisor TRC"},
        )
    )
    await _ok(
        await http.put(
            f"{urls.notify}/api/v1/regions/{scenario.region_code}/supervisors-chat",
            json={"chat_id": world.supervisors_chat},
            headers=world.headers("supervisor"),
        )
    )


async def _link(
    http: httpx.AsyncClient, urls: Endpoints, chat: int, team: str, user: int, tries: int = 60
) -> None:
    """/daftar until notify knows the team (it learns the members from dispatch's events)."""
    for _ in range(tries):
        seen = len(await _ok(await http.get(f"{urls.telegram}/_standin/chats/{chat}/messages")))
        said: dict[str, Any] = {"chat_id": chat, "user": {"id": user, "first_name": "Anggota"}}
        said["text"] = f"/daftar {team}"
        await _ok(await http.post(f"{urls.telegram}/_standin/say", json=said))
        for _ in range(20):
            await asyncio.sleep(0.25)
            messages = await _ok(await http.get(f"{urls.telegram}/_standin/chats/{chat}/messages"))
            replies = [m for m in messages[seen:] if m["from"].get("is_bot")]
            if replies:
                break
        if any("/daftar" not in m.get("text", "") for m in replies):
            return
        await asyncio.sleep(1)
    raise RuntimeError(f"team {team}'s group could not be linked with /daftar")


async def _shelters(http: httpx.AsyncClient, urls: Endpoints, world: World) -> None:
    base = f"{urls.shelter}/api/v1/regions/{world.scenario.region_code}/shelters"
    for shelter in world.scenario.shelters:
        await _ok(
            await http.post(base, json=shelter.model_dump(), headers=world.headers("supervisor"))
        )
