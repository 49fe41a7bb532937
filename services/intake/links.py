"""Linking a new report to an open one, for every channel: the signals that propose a link (the
same caller, a nearby open report) read from the database, the rules in ``domain/linking.py``
decide, and a report that stays apart keeps a hint for the operator."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.domain.duplicates import Candidate, DuplicatePolicy
from services.intake.domain.gazetteer import village_word
from services.intake.domain.linking import judge_nearby, judge_same_caller
from services.intake.domain.taxonomy import default_taxonomy
from services.intake.models import Report, ReportStatus

FOLLOW_UP_WINDOW = timedelta(hours=24)
HINTS = "link_hints"  # in Report.extra: why a proposed link was not made, for the operator
GUESSED = "category_guessed"  # in Report.extra: the model guessed the category, without a keyword


async def thread_follow_up(session: AsyncSession, report: Report, policy: DuplicatePolicy) -> bool:
    """A second call from the same number joins the caller's open report it is about; a call
    about someone else stands alone with a "same caller" hint. True when linked."""
    if not report.reporter_phone:
        return False
    query = (
        select(Report)
        .where(
            Report.region_code == report.region_code,
            Report.reporter_phone == report.reporter_phone,
            col(Report.status).in_([ReportStatus.OPEN, ReportStatus.LINKED]),
            col(Report.received_at) >= report.received_at - FOLLOW_UP_WINDOW,
        )
        .order_by(col(Report.received_at).desc())
    )
    earlier = [r for r in (await session.exec(query)).all() if r.id != report.id]
    if not earlier:
        return False
    new, taxonomy = candidate(report), default_taxonomy()
    verdicts = [(r, judge_same_caller(new, candidate(r), policy, taxonomy)) for r in earlier]
    for other, verdict in verdicts:
        if verdict.linked:
            link(report, other, verdict.reason)
            return True
    add_hint(report, verdicts[0][1].reason)
    return False


async def link_duplicate(session: AsyncSession, report: Report, policy: DuplicatePolicy) -> None:
    """Join the closest open report that is plausibly the same case, or keep a hint."""
    new = candidate(report)
    reach = could_be_near(new, policy.max_distance_m)
    if reach is None:
        return  # no point and no kelurahan: nothing is near enough to link or hint (the rule)
    # Only the open reports the rule could call near, and only the columns it reads: a region
    # in a surge holds hundreds of open reports, and reading each as a whole row for every new
    # one made intake's time per report grow with them.
    query = select(*_CANDIDATE_COLUMNS).where(
        Report.region_code == report.region_code,
        Report.status == ReportStatus.OPEN,
        col(Report.received_at) >= report.received_at - policy.window,
        reach,
    )
    connection = await session.connection()
    reports = [candidate(row) for row in (await connection.execute(query)).all()]
    verdict = judge_nearby(new, reports, policy, default_taxonomy())
    if verdict is None:
        return
    if not verdict.linked:
        add_hint(report, verdict.reason)
        return
    report.status = ReportStatus.LINKED
    report.duplicate_of = verdict.other_id
    report.duplicate_reason = verdict.reason


def link(report: Report, earlier: Report, reason: str) -> None:
    guessed = report.extra.get(GUESSED, False)
    if (report.category is None or guessed) and earlier.category is not None:
        # A follow-up that names no category ("he moved on") is as urgent as the case it joins;
        # one that adds danger ("now he has a knife") keeps its own, higher priority.
        report.category = earlier.category
        report.extra = {k: v for k, v in report.extra.items() if k != GUESSED}
        if earlier.priority < report.priority:  # "P1" < "P4"
            report.priority = earlier.priority
            report.priority_reasons = [
                *report.priority_reasons,
                f"{earlier.priority} mengikuti laporan awal / as the report it joins",
            ]
    report.triage_reason = None
    report.status = ReportStatus.LINKED
    report.duplicate_of = earlier.duplicate_of or earlier.id
    report.duplicate_reason = reason


def add_hint(report: Report, hint: str) -> None:
    hints = list(report.extra.get(HINTS, []))
    if hint not in hints:
        report.extra = {**report.extra, HINTS: [*hints, hint]}


def hints_of(report: Report) -> list[str]:
    return [str(h) for h in report.extra.get(HINTS, [])]


_CANDIDATE_COLUMNS: Any = (
    Report.id,
    Report.category,
    Report.extra,
    Report.received_at,
    Report.kelurahan,
    Report.kecamatan,
    Report.latitude,
    Report.longitude,
    Report.people_count,
    Report.address,
    Report.region_code,
)


def could_be_near(new: Candidate, reach_m: float) -> Any | None:
    """A filter that keeps every open report :func:`~services.intake.domain.linking.judge_nearby`
    could find near ``new`` (the same kelurahan, or a point within a box around ``new``'s point;
    the rule then decides), or ``None`` when no report can be near: ``new`` has neither."""
    clauses = []
    if new.kelurahan:
        clauses.append(col(Report.kelurahan) == new.kelurahan)
    if new.latitude is not None and new.longitude is not None:
        # The box holds the circle: a degree of latitude is at least 110.5 km, a degree of
        # longitude at least that times the cosine of the latitude; 10 % to spare.
        lat = 1.1 * reach_m / 110_500
        lon = lat / max(math.cos(math.radians(min(abs(new.latitude) + lat, 89.0))), 0.01)
        clauses.append(
            and_(
                col(Report.latitude).between(new.latitude - lat, new.latitude + lat),
                col(Report.longitude).between(new.longitude - lon, new.longitude + lon),
            )
        )
    return or_(*clauses) if clauses else None


def candidate(report: Report | Any) -> Candidate:
    """What the matcher reads of a report: a row or one of ``_CANDIDATE_COLUMNS``' rows."""
    return Candidate(
        report_id=report.id,
        # a category the model only guessed never keeps a report from its case
        category="" if (report.extra or {}).get(GUESSED) else report.category or "",
        received_at=report.received_at,
        kelurahan=report.kelurahan,
        kecamatan=report.kecamatan,
        latitude=report.latitude,
        longitude=report.longitude,
        people_count=report.people_count,
        address=report.address,
        village_word=village_word(report.region_code),
    )
