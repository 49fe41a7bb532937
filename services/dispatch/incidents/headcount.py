"""How many people an incident counts: the largest number any of its reports gives, so a report
that joins ("sekarang ada tiga orang") never leaves a person without a team or a shelter case."""

from __future__ import annotations

from sqlmodel import select

from services.dispatch.domain.states import OUTCOMES, TERMINAL
from services.dispatch.incidents.context import Ctx
from services.dispatch.incidents.timeline import announce_current
from services.dispatch.models import Incident, ReportLink
from shared.contracts.vocabulary import IncidentState


def count_joined(ctx: Ctx, incident: Incident, people_count: int) -> dict[str, int]:
    """Raise the incident's count to a joining report's larger one; the timeline detail.

    Once the team has reported how it ended (secured …), consumers have acted on the old count:
    the state is announced again with the new one, and shelter opens the missing cases. Before
    that, the next state change carries it."""
    before = incident.people_count
    if people_count <= before:
        return {}
    incident.people_count = people_count
    state = IncidentState(incident.state)
    if state in OUTCOMES:
        reason = f"jumlah orang bertambah / more people: {before} → {people_count}"
        announce_current(ctx, incident, "intake", reason)
    return {"people_from": before, "people_to": people_count}


async def recount_after_split(ctx: Ctx, incident: Incident) -> dict[str, int]:
    """A report left the incident: it counts its remaining reports' people again — while
    nobody has been found yet (after an outcome the team's count stands)."""
    state = IncidentState(incident.state)
    if state in OUTCOMES or state in TERMINAL:
        return {}
    links = await ctx.session.exec(select(ReportLink).where(ReportLink.incident_id == incident.id))
    counts = [int(link.report.get("people_count", 1)) for link in links.all()]
    after = max(counts, default=incident.people_count)
    before = incident.people_count
    if after == before:
        return {}
    incident.people_count = after
    return {"people_from": before, "people_to": after}
