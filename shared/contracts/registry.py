"""The topic and event registry.

Which events travel where, keyed how, produced and consumed by whom.

Topic names carry their major version; a breaking change to a topic's keying or meaning means a
new topic. Payload versions are per event type; a breaking payload change means a new
``EventSpec`` with ``version + 1`` registered beside the old one until every reader has moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.contracts import events as ev
from shared.contracts.envelope import Envelope

DEAD_LETTER_SUFFIX = ".dlt"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    version: int
    description: str
    producers: tuple[str, ...]
    consumers: tuple[str, ...]
    key: str = "region_code"


@dataclass(frozen=True)
class EventSpec:
    payload_model: type[ev.Payload]
    topic: str

    @property
    def event_type(self) -> str:
        return self.payload_model.EVENT_TYPE

    @property
    def version(self) -> int:
        return self.payload_model.VERSION

    def example_envelope(self) -> dict[str, Any]:
        return {
            "event_id": "0193a9f0-5d2c-7b61-8c1e-2a4b6c8d0e1f",
            "event_type": self.event_type,
            "version": self.version,
            "occurred_at": "2026-11-22T13:05:00Z",
            "producer": TOPIC_BY_NAME[self.topic].producers[0],
            "region_code": "21.71",
            "correlation_id": "inc-000001",
            "payload": self.payload_model.EXAMPLE,
        }


def dead_letter_topic(topic: str) -> str:
    """Every topic's poison messages go to ``<topic>.dlt`` (same key, headers and bytes)."""
    return topic + DEAD_LETTER_SUFFIX


TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(
        "trc.ingress.reports.v1",
        1,
        "Public ingress: reports pushed by external systems (e.g. a city 112 command center)",
        producers=("external",),
        consumers=("intake",),
    ),
    TopicSpec(
        "trc.patrol-reports.v1",
        1,
        "Field findings filed by TRC members through Telegram",
        producers=("notify",),
        consumers=("intake",),
    ),
    TopicSpec(
        "trc.reports.v1",
        1,
        "Accepted, deduplicated, prioritised reports ready for dispatch; P1 reports waiting in "
        "the triage queue (for the supervisors' chat)",
        producers=("intake",),
        consumers=("dispatch", "notify"),
    ),
    TopicSpec(
        "trc.assignments.v1",
        1,
        "Assignments to teams: created, acknowledged, timed out, released, check-ins, refusals",
        producers=("dispatch",),
        consumers=("notify",),
    ),
    TopicSpec(
        "trc.field-updates.v1",
        1,
        "Button presses and notes from the teams in the field",
        producers=("notify",),
        consumers=("dispatch",),
    ),
    TopicSpec(
        "trc.incidents.v1",
        1,
        "Incident lifecycle: every state change, escalations, shift handovers",
        producers=("dispatch",),
        consumers=("shelter", "notify"),
    ),
    TopicSpec(
        "trc.teams.v1",
        1,
        "Teams and their members as dispatch knows them (for who may press a team's buttons)",
        producers=("dispatch",),
        consumers=("notify",),
    ),
    TopicSpec(
        "trc.cases.v1",
        1,
        "Shelter cases: opened, status, outcome, referrals between regions; shelters and beds",
        producers=("shelter",),
        consumers=("shelter", "dispatch"),
    ),
    TopicSpec(
        "trc.notify.v1",
        1,
        "Telegram chats that blocked the bot (or removed it) and that work again",
        producers=("notify",),
        consumers=("dispatch",),
    ),
)
TOPIC_BY_NAME = {t.name: t for t in TOPICS}

EVENTS: tuple[EventSpec, ...] = (
    EventSpec(ev.ReportSubmitted, "trc.ingress.reports.v1"),
    EventSpec(ev.PatrolReportFiled, "trc.patrol-reports.v1"),
    EventSpec(ev.ReportReceived, "trc.reports.v1"),
    EventSpec(ev.ReportUnlinked, "trc.reports.v1"),
    EventSpec(ev.ReportAwaitingTriage, "trc.reports.v1"),
    EventSpec(ev.ReportTriaged, "trc.reports.v1"),
    EventSpec(ev.AssignmentCreated, "trc.assignments.v1"),
    EventSpec(ev.AssignmentAcknowledged, "trc.assignments.v1"),
    EventSpec(ev.AssignmentTimedOut, "trc.assignments.v1"),
    EventSpec(ev.AssignmentReleased, "trc.assignments.v1"),
    EventSpec(ev.CheckinRequested, "trc.assignments.v1"),
    EventSpec(ev.FieldUpdate, "trc.field-updates.v1"),
    EventSpec(ev.FieldUpdateRefused, "trc.assignments.v1"),
    EventSpec(ev.IncidentStatusChanged, "trc.incidents.v1"),
    EventSpec(ev.IncidentEscalated, "trc.incidents.v1"),
    EventSpec(ev.IncidentPriorityChanged, "trc.incidents.v1"),
    EventSpec(ev.IncidentNoTeamRecorded, "trc.incidents.v1"),
    EventSpec(ev.ShiftHandover, "trc.incidents.v1"),
    EventSpec(ev.TeamUpdated, "trc.teams.v1"),
    EventSpec(ev.DutyChanged, "trc.teams.v1"),
    EventSpec(ev.CaseOpened, "trc.cases.v1"),
    EventSpec(ev.CaseStatusChanged, "trc.cases.v1"),
    EventSpec(ev.CaseOutcomeRecorded, "trc.cases.v1"),
    EventSpec(ev.CaseReferred, "trc.cases.v1"),
    EventSpec(ev.CaseReferralAnswered, "trc.cases.v1"),
    EventSpec(ev.ShelterUpdated, "trc.cases.v1"),
    EventSpec(ev.TelegramChatStatusChanged, "trc.notify.v1"),
)
_EVENT_BY_KEY = {(e.event_type, e.version): e for e in EVENTS}


class UnknownEvent(LookupError):
    """No registered payload model for this (event type, version)."""


def event_spec(event_type: str, version: int) -> EventSpec:
    try:
        return _EVENT_BY_KEY[(event_type, version)]
    except KeyError:
        raise UnknownEvent(f"unknown event {event_type!r} version {version}") from None


def event_spec_for(payload_model: type[ev.Payload]) -> EventSpec:
    return event_spec(payload_model.EVENT_TYPE, payload_model.VERSION)


def topic_spec(name: str) -> TopicSpec:
    return TOPIC_BY_NAME[name]


def topics_consumed_by(service: str) -> tuple[str, ...]:
    return tuple(t.name for t in TOPICS if service in t.consumers)


def parse_payload(envelope: Envelope) -> ev.Payload:
    """Validate the envelope's payload against its registered model (raises on unknown/invalid)."""
    spec = event_spec(envelope.event_type, envelope.version)
    return spec.payload_model.model_validate(envelope.payload)


def make_envelope(
    payload: ev.Payload, *, producer: str, region_code: str, correlation_id: str
) -> Envelope:
    spec = event_spec_for(type(payload))
    return Envelope(
        event_type=spec.event_type,
        version=spec.version,
        producer=producer,
        region_code=region_code,
        correlation_id=correlation_id,
        payload=payload.model_dump(mode="json"),
    )
