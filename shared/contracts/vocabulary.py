"""Closed vocabularies shared by the events.

Open taxonomies (the PPKS categories) are data, not enums.
"""

from enum import StrEnum


class Priority(StrEnum):
    P1 = "P1"  # life at risk now: violence, medical emergency, child in danger, disaster
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


class Channel(StrEnum):
    CALL_CENTER = "call_center"
    SOCIAL_MEDIA = "social_media"
    PATROL = "patrol"
    INTEGRATION = "integration"  # e.g. a city 112 command center over the Kafka ingress


class DangerFlag(StrEnum):
    VIOLENCE = "violence"
    CHILD = "child"
    MEDICAL = "medical"
    DISASTER = "disaster"


class FieldAction(StrEnum):
    ACCEPT = "accept"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    SECURED = "secured"
    NOT_FOUND = "not_found"
    NOTE = "note"


class IncidentState(StrEnum):
    RECEIVED = "received"
    QUEUED = "queued"
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    SECURED = "secured"
    NOT_FOUND = "not_found"
    RESOLVED_ON_SITE = "resolved_on_site"
    REFUSED = "refused"
    REFERRED = "referred"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class NoTeamAlternative(StrEnum):
    """What was done instead when no TRC team could go."""

    POLICE = "police"
    AMBULANCE = "ambulance"
    PUSKESMAS = "puskesmas"
    NEXT_PATROL = "next_patrol"  # tomorrow's (the next) patrol takes it
    OTHER = "other"


class CaseOutcome(StrEnum):
    RETURNED_TO_FAMILY = "returned_to_family"
    PLACED_IN_INSTITUTION = "placed_in_institution"
    REFERRED_TO_HOSPITAL = "referred_to_hospital"
    RETURNED_TO_REGION_OF_ORIGIN = "returned_to_region_of_origin"
    INDEPENDENT = "independent"  # counts toward the "PPKS mandiri" KPI
    LEFT_WITHOUT_NOTICE = "left_without_notice"
    DIED = "died"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


def ppks_mandiri(outcomes: dict[str, int]) -> dict[str, int | float | None]:
    """The "persentase PPKS mandiri" KPI, one definition everywhere: of the cases whose outcome
    was recorded in the period, the share whose outcome is ``independent`` (mandiri).
    ``outcomes`` counts those cases by outcome."""
    ended = sum(outcomes.values())
    count = outcomes.get(CaseOutcome.INDEPENDENT.value, 0)
    return {
        "count": count,
        "closed": ended,
        "percent": round(100 * count / ended, 1) if ended else None,
    }
