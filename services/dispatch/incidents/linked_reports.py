"""The reports an incident holds, as the console lists them to offer the split: what each report
says about the case (channel, when, category, people, why it was joined) and nothing about who
made it — read from the payload dispatch keeps of each one (``ReportLink.report``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.dispatch.models import Incident, ReportLink


class LinkedReport(BaseModel):
    report_id: str = Field(description="Intake's report id (split it off at intake's unlink)")
    first: bool = Field(description="The report the incident began with: it cannot be split off")
    channel: str
    received_at: datetime = Field(description="UTC; the console shows it in the region's zone")
    category: str
    priority: str
    people_count: int
    duplicate_reason: str | None = Field(description="Why intake joined it to the incident")


async def linked_reports(session: AsyncSession, incident: Incident) -> list[LinkedReport]:
    """The incident's reports in the order they joined, the first one first."""
    query = select(ReportLink).where(ReportLink.incident_id == incident.id)
    links = {link.report_id: link.report for link in (await session.exec(query)).all()}
    order = [r for r in incident.report_ids if r in links]
    first = incident.report_ids[0] if incident.report_ids else None
    return [_brief(r, links[r], first=r == first) for r in order]


def _brief(report_id: str, report: dict[str, Any], *, first: bool) -> LinkedReport:
    return LinkedReport(
        report_id=report_id,
        first=first,
        channel=str(report.get("channel", "")),
        received_at=report["received_at"],
        category=str(report.get("category", "")),
        priority=str(report.get("priority", "")),
        people_count=int(report.get("people_count", 1)),
        duplicate_reason=report.get("duplicate_reason"),
    )
