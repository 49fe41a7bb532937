"""Events of ``trc.cases.v1``: shelter cases — opened, status, outcome, referrals between
regions — and the shelters with their beds."""

from __future__ import annotations

from pydantic import Field

from shared.contracts.events.base import Payload
from shared.contracts.fields import (
    CaseId,
    CategoryCode,
    EstimatedAge,
    IncidentId,
    Part,
    PersonSex,
    When,
)
from shared.contracts.vocabulary import CaseOutcome, Sex

_EXAMPLE_IDS = {"case_id": "case-000001", "incident_id": "inc-000001"}


# Base of the events about one shelter case (and the incident it came from). No docstring: the
# AsyncAPI documents describe an event without one of its own by the nearest, Payload's.
class CaseEvent(Payload):
    case_id: CaseId
    incident_id: IncidentId


class CaseOpened(CaseEvent):
    """A secured person admitted to a shelter: a case opens for them."""

    EVENT_TYPE = "case.opened"
    VERSION = 1
    EXAMPLE = {
        **_EXAMPLE_IDS,
        "shelter_id": "upt-nilam-suri",
        "category": "odgj_terlantar",
        "sex": "male",
        "estimated_age": 40,
        "opened_at": "2026-11-22T14:10:00Z",
    }

    shelter_id: str | None = Field(default=None, description="None while awaiting admission")
    category: CategoryCode
    sex: PersonSex = Sex.UNKNOWN
    estimated_age: EstimatedAge = None
    opened_at: When = Field(description="When the case was opened (UTC)")


class CaseStatusChanged(CaseEvent):
    """A shelter case moved: admitted, assessed, in service, closed (outcomes have their own)."""

    EVENT_TYPE = "case.status_changed"
    VERSION = 1
    EXAMPLE = {
        **_EXAMPLE_IDS,
        "from_state": "awaiting_admission",
        "to_state": "admitted",
        "shelter_id": "upt-nilam-suri",
        "section": "male",
        "category": "odgj_terlantar",
        "changed_at": "2026-11-22T14:30:00Z",
    }

    from_state: str = Field(description="State before")
    to_state: str = Field(description="admitted | assessed | in_service | outcome | closed")
    shelter_id: str | None = Field(default=None, description="Where the person is")
    section: str | None = Field(default=None, description="male | female | children | …")
    category: CategoryCode = Field(description="PPKS category code")
    changed_at: When


class CaseOutcomeRecorded(CaseEvent):
    """How a case ended (e.g. returned to family, referred), recorded by the shelter staff."""

    EVENT_TYPE = "case.outcome"
    VERSION = 1
    EXAMPLE = {
        **_EXAMPLE_IDS,
        "outcome": "returned_to_family",
        "outcome_at": "2026-12-02T09:00:00Z",
        "destination_region_code": "21.71",
    }

    outcome: CaseOutcome = Field(description="How the case ended")
    outcome_at: When = Field(description="When the outcome took effect (UTC)")
    destination_region_code: str | None = Field(
        default=None, description="Region the person went to, for returns and repatriations"
    )


class CaseReferred(Payload):
    """A case referred to the Dinsos of another region (repatriation to the region of origin).
    When that region runs this system too, its shelter service receives the referral and
    answers it. No names: the person's details travel with the official letter."""

    EVENT_TYPE = "case.referred"
    VERSION = 1
    EXAMPLE = {
        "referral_id": "ref-000001",
        "case_id": "case-000001",
        "from_region_code": "21.71",
        "to_region_code": "73.71",
        "category": "gepeng",
        "sex": "male",
        "estimated_age": 52,
        "reason": "Berasal dari Makassar; keluarga ditemukan",
        "referred_at": "2026-11-29T03:00:00Z",
    }

    referral_id: str = Field(description="The sending shelter's referral id")
    case_id: CaseId = Field(description="The sending shelter's case id")
    from_region_code: str = Field(description="The referring region")
    to_region_code: str = Field(description="The region asked to take the person")
    category: CategoryCode = Field(description="PPKS category code")
    sex: PersonSex = Sex.UNKNOWN
    estimated_age: EstimatedAge = Field(default=None, description="If known")
    reason: str = Field(max_length=1000, description="Why the person is referred")
    referred_at: When


class CaseReferralAnswered(Payload):
    """The receiving region's answer to a ``case.referred``."""

    EVENT_TYPE = "case.referral_answered"
    VERSION = 1
    EXAMPLE = {
        "referral_id": "ref-000001",
        "from_region_code": "73.71",
        "to_region_code": "21.71",
        "accepted": True,
        "reason": "Diterima; dijemput di pelabuhan Soekarno-Hatta",
        "answered_at": "2026-11-30T02:00:00Z",
    }

    referral_id: str = Field(description="The referring shelter's referral id")
    from_region_code: str = Field(description="The answering region")
    to_region_code: str = Field(description="The referring region")
    accepted: bool = Field(description="Taken, or refused")
    reason: str = Field(max_length=1000, description="Why (required for a refusal)")
    answered_at: When


class ShelterSectionRef(Part):
    section: str = Field(description="male | female | children | odgj_observation | …")
    capacity: int = Field(ge=0, description="Beds in the section")


class ShelterUpdated(Payload):
    """A shelter as it is now (sent whenever it is added or changed): for occupancy shown
    outside the shelter service. No people in it: cases travel in their own events."""

    EVENT_TYPE = "shelter.updated"
    VERSION = 1
    EXAMPLE = {
        "shelter_id": "upt-nilam-suri",
        "region_code": "21.71",
        "code": "NS",
        "name": "UPT P2PMKS Nilam Suri",
        "kind": "upt",
        "sections": [{"section": "male", "capacity": 20}, {"section": "female", "capacity": 12}],
        "active": True,
        "updated_at": "2026-11-22T02:00:00Z",
    }

    shelter_id: str = Field(description="Shelter's shelter id")
    region_code: str = Field(description="The region the shelter serves")
    code: str = Field(description="The department's short name for it")
    name: str = Field(description="The shelter's name")
    kind: str = Field(description="upt | uptd | rumah_singgah | panti | temporary")
    sections: list[ShelterSectionRef] = Field(description="Every section and its beds now")
    active: bool = Field(default=True, description="False: no longer admits anyone")
    updated_at: When = Field(description="When it was changed (UTC)")
