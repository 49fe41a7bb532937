"""What the simulation did, act by act: each report with the id intake gave it, each button
pressed, each triage decision, admission and outcome. Written as JSON for the fault tests, which
check the services' databases against it; it holds no personal data (the callers' numbers are
made up and not kept)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from shared.regions import region_zone
from trc.simulator.plan import PlannedReport


class Ledger:
    def __init__(self, scenario: str, region_code: str, speed: float, days: float) -> None:
        self.zone: ZoneInfo = region_zone(region_code).zone
        self.head = {
            "scenario": scenario,
            "region_code": region_code,
            "speed": speed,
            "days": days,
            "started_at": datetime.now(UTC).isoformat(),
        }
        self.reports: list[dict[str, Any]] = []
        self.presses: list[dict[str, Any]] = []
        self.ignored_messages: list[dict[str, int]] = []
        self.triage: list[dict[str, str]] = []
        self.outcomes: Counter[tuple[str, str]] = Counter()
        self.shelter_acts: Counter[str] = Counter()
        self.hiccups: Counter[str] = Counter()

    def report(self, planned: PlannedReport, report_id: str | None, status: str) -> None:
        entry = asdict(planned)
        entry.pop("text")
        self.reports.append({**entry, "report_id": report_id, "status": status})

    def pressed(self, chat: int, message_id: int, action: str, query_id: str) -> None:
        self.presses.append(
            {"chat_id": chat, "message_id": message_id, "action": action, "query_id": query_id}
        )

    def ignored(self, chat: int, message_id: int) -> None:
        self.ignored_messages.append({"chat_id": chat, "message_id": message_id})

    def triaged(self, report_id: str, decision: str) -> None:
        self.triage.append({"report_id": report_id, "decision": decision})

    def outcome(self, category: str, outcome: str, status: int) -> None:
        if status < 300:
            self.outcomes[(category, outcome)] += 1
        self.shelter("outcome", status)

    def shelter(self, act: str, status: int) -> None:
        self.shelter_acts[act if status < 300 else f"{act} refused ({status})"] += 1

    def hiccup(self, kind: str) -> None:
        self.hiccups[kind] += 1

    def counts(self) -> Counter[str]:
        counts: Counter[str] = Counter(
            reports=len(self.reports),
            presses=len(self.presses),
            admitted=self.shelter_acts["admitted"],
            outcomes=sum(self.outcomes.values()),
        )
        counts.update(f"channel_{r['channel']}" for r in self.reports)
        return counts

    def as_json(self) -> dict[str, Any]:
        return {
            **self.head,
            "finished_at": datetime.now(UTC).isoformat(),
            "reports": self.reports,
            "presses": self.presses,
            "ignored": self.ignored_messages,
            "triage": self.triage,
            "outcomes": [
                {"category": c, "outcome": o, "count": n} for (c, o), n in self.outcomes.items()
            ],
            "shelter": dict(self.shelter_acts),
            "hiccups": dict(self.hiccups),
        }

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_json(), indent=1, ensure_ascii=False))
