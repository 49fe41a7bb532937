"""The shelter staff of a simulated day: each open case is admitted to a section with room,
assessed, served, given an outcome and closed, each step after a delay the scenario draws."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import httpx

from trc.simulator.clock import Clock
from trc.simulator.ledger import Ledger
from trc.simulator.plan import draw, weighted
from trc.simulator.world import Endpoints, World

DEFAULT_OUTCOMES = {"returned_to_family": 1.0}
DISASTERS = ("korban_bencana_alam", "korban_bencana_sosial", "korban_kebakaran")


@dataclass
class ShelterStaff:
    """Advances the region's cases as staff would; the simulation calls :meth:`work` often."""

    world: World
    urls: Endpoints
    http: httpx.AsyncClient
    clock: Clock
    ledger: Ledger
    rng: random.Random
    case_due: dict[tuple[str, str], float] = field(default_factory=dict)  # → simulated due time
    # Cases whose outcome was sent but no answer came (shelter restarting): whether it was
    # recorded is read back from the case, as staff would look, before it counts in the ledger.
    unanswered: set[str] = field(default_factory=set)

    async def work(self) -> None:
        region = self.world.scenario.region_code
        answer = await self.http.get(
            f"{self.urls.shelter}/api/v1/regions/{region}/cases",
            headers=self.world.headers("shelter"),
        )
        if answer.status_code != 200:
            return
        now = self.clock.now_s()
        for case in answer.json():
            self._read_back(case)
            if case["state"] == "closed":
                continue
            key = (case["case_id"], case["state"])
            if key not in self.case_due:
                self.case_due[key] = now + self._delay(case)
            elif now >= self.case_due[key]:
                self.case_due[key] = now + 600  # not again before the answer is seen
                await self._advance(case)

    def _read_back(self, case: dict[str, Any]) -> None:
        """An outcome sent without an answer: recorded if the case now has it, not if it is
        still in service (it is sent again later, and counted then)."""
        if case["case_id"] not in self.unanswered or case["state"] == "in_service":
            self.unanswered.discard(case["case_id"])
            return
        if case.get("outcome"):
            self.ledger.outcome(case["category"], case["outcome"], 201)
        self.unanswered.discard(case["case_id"])

    def _delay(self, case: dict[str, Any]) -> float:
        work = self.world.scenario.shelter_work
        category = self._category(case["category"])
        state = case["state"]
        if state == "awaiting_admission":
            return 60 * draw(work.admit_minutes, self.rng)
        if state == "admitted":
            return 60 * draw(work.assess_minutes, self.rng)
        if state == "assessed":
            return 0.3 * 60 * draw(work.assess_minutes, self.rng)
        if state == "in_service":
            stay = draw(category.stay_days, self.rng) if category else 3.0
            return 86_400 * stay
        return 60 * draw(work.close_minutes, self.rng)

    def _category(self, code: str) -> Any:
        return next((c for c in self.world.scenario.categories if c.code == code), None)

    async def _advance(self, case: dict[str, Any]) -> None:
        base = f"{self.urls.shelter}/api/v1/cases/{case['case_id']}"
        headers = self.world.headers("shelter")
        state = case["state"]
        if state == "awaiting_admission":
            await self._admit(case, base, headers)
        elif state in ("admitted", "assessed"):
            kind = "assessment" if state == "admitted" else "service"
            summary = "asesmen awal" if kind == "assessment" else "makan, pakaian, konseling"
            detail = {"ringkasan": f"{summary} (simulasi)"}
            answer = await self.http.post(
                f"{base}/entries", json={"kind": kind, "detail": detail}, headers=headers
            )
            self.ledger.shelter(kind, answer.status_code)
        elif state == "in_service":
            category = self._category(case["category"])
            outcome = weighted(category.outcomes if category else DEFAULT_OUTCOMES, self.rng)
            body: dict[str, Any] = {"outcome": outcome}
            if outcome == "returned_to_region_of_origin":
                body["destination_region_code"] = "14.71"
            try:
                answer = await self.http.post(f"{base}/outcome", json=body, headers=headers)
            except httpx.HTTPError:
                self.unanswered.add(case["case_id"])
                raise
            self.ledger.outcome(case["category"], outcome, answer.status_code)
        elif state == "outcome":
            answer = await self.http.post(f"{base}/close", headers=headers)
            self.ledger.shelter("closed", answer.status_code)

    async def _admit(self, case: dict[str, Any], base: str, headers: dict[str, str]) -> None:
        region = self.world.scenario.region_code
        wanted = _section(case["category"], self.rng)
        answer = await self.http.get(
            f"{self.urls.shelter}/api/v1/regions/{region}/shelters", headers=headers
        )
        sections = answer.json() if answer.status_code == 200 else []
        room = [s for s in sections if s["free"] > 0]
        if case["category"] in DISASTERS:  # victims go to the temporary shelter (posko) first
            temporary = {s.name for s in self.world.scenario.shelters if s.kind == "temporary"}
            room.sort(key=lambda s: s["shelter_name"] not in temporary)
        same = [s for s in room if s["section"] == wanted]
        choice = (same or room or [None])[0]
        if choice is None:
            self.ledger.shelter("full", 409)
            return
        admitted = await self.http.post(
            f"{base}/admit",
            json={"shelter_id": choice["shelter_id"], "section": choice["section"],
                  "belongings": ["pakaian"]},
            headers=headers,
        )  # fmt: skip
        self.ledger.shelter("admitted", admitted.status_code)


def _section(category: str, rng: random.Random) -> str:
    if category.startswith("odgj"):
        return "odgj_observation"
    if category.startswith("anak"):
        return "children"
    return rng.choice(["male", "female"])
