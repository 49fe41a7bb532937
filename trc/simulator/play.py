"""Playing a planned day against the running stack, sped up: callers and social posts arrive at
intake, members press their buttons in the Telegram stand-in, operators work the triage queue,
shelter staff admit, assess and discharge. Every act is written to the ledger, which the fault
tests compare with what the services stored."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx

from shared.contracts.buttons import parse_callback_data
from shared.contracts.vocabulary import FieldAction
from trc.simulator.clock import Clock
from trc.simulator.ledger import Ledger
from trc.simulator.plan import PlannedReport, draw
from trc.simulator.shelter_staff import ShelterStaff
from trc.simulator.world import Endpoints, World

POLL_S = 0.5


class Simulation:
    def __init__(
        self,
        world: World,
        urls: Endpoints,
        http: httpx.AsyncClient,
        clock: Clock,
        ledger: Ledger,
        seed: int,
        say: Callable[[str], None] = print,
    ) -> None:
        self.world, self.urls, self.http, self.clock, self.ledger = world, urls, http, clock, ledger
        self.rng = random.Random(seed)
        self.say = say
        self.by_seq: dict[int, str] = {}  # planned seq → intake's report id
        self.by_text: dict[str, PlannedReport] = {}
        self.handled: set[tuple[int, int]] = set()  # (chat, message) answered or ignored
        self.shelter = ShelterStaff(world, urls, http, clock, ledger, self.rng)
        self.tasks: set[asyncio.Task[None]] = set()

    # ------------------------------------------------------------------ the run
    async def run(self, plan: list[PlannedReport], settle_s: float = 0.0) -> None:
        workers = [
            asyncio.create_task(self._loop(self._answer_assignments)),
            asyncio.create_task(self._loop(self._work_triage)),
            asyncio.create_task(self._loop(self.shelter.work, every=1.0)),
            asyncio.create_task(self._progress()),
        ]
        try:
            await self._feed(plan)
            await asyncio.sleep(settle_s)  # members and shelter staff finish what they started
        finally:
            for task in [*workers, *self.tasks]:
                task.cancel()
            for task in [*workers, *self.tasks]:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            self.say(self.summary())

    async def _loop(self, step: Callable[[], Any], every: float = POLL_S) -> None:
        while True:
            try:
                await step()
            except (httpx.HTTPError, RuntimeError) as exc:
                self.ledger.hiccup(type(exc).__name__)  # a service restarting: try again
            await asyncio.sleep(every)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # ------------------------------------------------------------------ reports
    async def _feed(self, plan: list[PlannedReport]) -> None:
        for report in plan:
            await self.clock.until(report.at_s)
            self.by_text[report.text] = report
            self._spawn(self._submit(report))

    async def _submit(self, report: PlannedReport) -> None:
        for attempt in range(60):  # a restarting intake is waited for, never skipped
            try:
                answer = await self._send(report)
            except httpx.HTTPError:
                answer = None
            if answer is not None and answer.status_code < 500:
                break
            await asyncio.sleep(min(5.0, 0.5 * (attempt + 1)))
        else:
            self.ledger.report(report, None, "not accepted")
            return
        body = answer.json() if answer.status_code < 300 and answer.content else {}
        if report.channel == "patrol":
            self.ledger.report(report, None, "filed" if answer.status_code < 300 else "refused")
            return
        self.by_seq[report.seq] = body.get("report_id", "")
        status = body.get("status") if answer.status_code < 300 else f"http {answer.status_code}"
        self.ledger.report(report, body.get("report_id"), str(status))

    async def _send(self, report: PlannedReport) -> httpx.Response:
        region = self.world.scenario.region_code
        if report.channel == "social_media":
            return await self.http.post(
                f"{self.urls.intake}/api/v1/webhooks/social",
                headers={"X-API-Key": self.world.api_key},
                json={
                    "platform": "x",
                    "post_id": f"sim-{region}-{self.clock.started_at:%Y%m%d%H%M%S}-{report.seq}",
                    "text": report.text,
                    "posted_at": self.clock.now().isoformat(),
                },
            )
        if report.channel == "patrol":
            return await self._patrol(report)
        body: dict[str, Any] = {
            "region_code": region,
            "description": report.text,
            "category": report.category,
            "location": {"kecamatan": report.kecamatan, "kelurahan": report.kelurahan},
            "people_count": report.people,
            "danger_flags": list(report.danger),
            "reporter_phone": f"0812{(report.seq * 7919) % 10**8:08d}",  # made up, one a caller
        }
        if report.duplicate_of is not None and self.by_seq.get(report.duplicate_of):
            body["attach_to"] = self.by_seq[report.duplicate_of]
        headers = {
            **self.world.headers("operator"),
            "Idempotency-Key": f"sim-{self.clock.started_at:%Y%m%d%H%M%S}-{report.seq}",
        }
        url = f"{self.urls.intake}/api/v1/reports"
        return await self.http.post(url, json=body, headers=headers)

    async def _patrol(self, report: PlannedReport) -> httpx.Response:
        """A member of a team on duty types /lapor, then shares the location."""
        team = await self._team_on_duty()
        member = self.rng.choice(self.world.members[team])
        chat = self.world.chats[team]
        user = {"id": member.telegram_id, "first_name": f"Anggota {member.code}"}
        said = {"chat_id": chat, "user": user}
        answer = await self.http.post(
            f"{self.urls.telegram}/_standin/say", json={**said, "text": f"/lapor {report.text}"}
        )
        if answer.status_code >= 300:
            return answer
        await asyncio.sleep(0.3)
        where = {"latitude": report.latitude, "longitude": report.longitude}
        return await self.http.post(f"{self.urls.telegram}/_standin/say", json={**said, **where})

    async def _team_on_duty(self) -> str:
        region = self.world.scenario.region_code
        answer = await self.http.get(
            f"{self.urls.dispatch}/api/v1/regions/{region}/duty",
            headers=self.world.headers("supervisor"),
        )
        on_duty = answer.json().get("on_duty", []) if answer.status_code == 200 else []
        return self.rng.choice(on_duty or list(self.world.chats))

    # ------------------------------------------------------------------ triage
    async def _work_triage(self) -> None:
        answer = await self.http.get(
            f"{self.urls.intake}/api/v1/triage", headers=self.world.headers("operator")
        )
        if answer.status_code != 200:
            return
        for item in answer.json():
            if item.get("claimed_by") not in (None, self.world.operator):
                continue
            await self._triage(item, self.by_text.get(item["description"]))

    async def _triage(self, item: dict[str, Any], planned: PlannedReport | None) -> None:
        base = f"{self.urls.intake}/api/v1/triage/{item['report_id']}"
        headers = self.world.headers("operator")
        await self.http.post(f"{base}/claim", headers=headers)
        if planned is None or planned.category is None:
            answer = await self.http.post(
                f"{base}/dismiss", json={"reason": "bukan laporan (simulasi)"}, headers=headers
            )
            decision = "dismissed"
        else:
            location: dict[str, Any] = {
                "kecamatan": planned.kecamatan,
                "kelurahan": planned.kelurahan,
            }
            if planned.latitude is not None:
                location |= {"latitude": planned.latitude, "longitude": planned.longitude}
            answer = await self.http.post(
                f"{base}/dispatch",
                json={"category": planned.category, "location": location,
                      "danger_flags": list(planned.danger)},
                headers=headers,
            )  # fmt: skip
            decision = "dispatched"
        if answer.status_code < 300:
            self.ledger.triaged(item["report_id"], decision)

    # ------------------------------------------------------------------ Telegram
    async def _answer_assignments(self) -> None:
        for team, chat in self.world.chats.items():
            answer = await self.http.get(f"{self.urls.telegram}/_standin/chats/{chat}/messages")
            if answer.status_code != 200:
                continue
            for message in answer.json():
                key = (chat, int(message["message_id"]))
                if key in self.handled or not _button(message, FieldAction.ACCEPT):
                    continue
                self.handled.add(key)
                response = self.world.scenario.response
                if self.rng.random() < response.no_answer_probability:
                    self.ledger.ignored(chat, key[1])
                    continue
                self._spawn(self._respond(team, chat, key[1]))

    async def _respond(self, team: str, chat: int, message_id: int) -> None:
        """Accept, set off, arrive, and secure the person or find nobody — as one member would."""
        response = self.world.scenario.response
        member = self.rng.choice(self.world.members[team])
        found = self.rng.random() >= response.not_found_probability
        steps = [
            ("accept", draw(response.accept_seconds, self.rng)),
            ("en_route", self.rng.uniform(30, 180)),
            ("on_scene", 60 * draw(response.travel_minutes, self.rng)),
            ("secured" if found else "not_found", 60 * draw(response.on_scene_minutes, self.rng)),
        ]
        for action, after_s in steps:
            await self.clock.wait(after_s)
            if not await self._press(chat, message_id, member.telegram_id, action):
                return

    async def _press(self, chat: int, message_id: int, user: int, action: str) -> bool:
        """Press the button if the message still has it (a released task has lost its buttons)."""
        for _ in range(20):
            answer = await self.http.get(f"{self.urls.telegram}/_standin/chats/{chat}/messages")
            if answer.status_code == 200:
                break
            await asyncio.sleep(1)
        else:
            return False
        message = next((m for m in answer.json() if m["message_id"] == message_id), None)
        data = _button(message, FieldAction(action)) if message else None
        if data is None:
            return False
        pressed = await self.http.post(
            f"{self.urls.telegram}/_standin/press",
            json={"chat_id": chat, "message_id": message_id, "data": data,
                  "user": {"id": user, "first_name": "Anggota"}},
        )  # fmt: skip
        if pressed.status_code < 300:
            self.ledger.pressed(chat, message_id, action, pressed.json()["callback_query_id"])
        return pressed.status_code < 300

    # ------------------------------------------------------------------ telling
    async def _progress(self, every_s: float = 10.0) -> None:
        while True:
            await asyncio.sleep(every_s)
            self.say(self.line())

    def line(self) -> str:
        counts = self.ledger.counts()
        local = self.clock.now().astimezone(self.ledger.zone)
        return (
            f"[simulasi] {local:%d %b %H.%M} {self.world.zone_label}: "
            f"{counts['reports']} laporan/reports, {counts['presses']} tombol/presses, "
            f"{counts['admitted']} masuk shelter/admitted, {counts['outcomes']} keluaran/outcomes"
        )

    def summary(self) -> str:
        counts: Counter[str] = self.ledger.counts()
        told = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
        return f"[simulasi] selesai / done: {told}"


def _button(message: dict[str, Any] | None, action: FieldAction) -> str | None:
    """The callback data of the message's button for ``action`` (``t:<token>`` …), if it has one."""
    markup = (message or {}).get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = str(button.get("callback_data", ""))
            if (press := parse_callback_data(data)) is not None and press.action == action:
                return data
    return None
