"""``python -m services.intake corrections FILE [--region CODE]``: what operators taught triage.

Every report an operator completed from the triage queue (category and place given) or dismissed
there (not a report, or not the region's) is a labelled example: the text as it arrived and the
operator's answer. They are written as lines of the triage corpus (``corpus/triage/``'s format),
so a department grows its own corpus and retrains with it: ``trc triage train --extra FILE``.
The file holds the reports' texts: keep it where the reports themselves are kept.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.app import create_app
from services.intake.domain.decision import ELSEWHERE
from services.intake.models import Report, ReportStatus
from services.intake.settings import IntakeSettings
from shared.service import run_admin


def example(report: Report) -> dict[str, Any] | None:
    """The corpus line an operator's triage decision makes, or None when none was taken."""
    if not report.description:
        return None
    base = {
        "id": f"op-{report.id}",
        "text": report.description,
        "channel": report.channel,
        "department": report.region_code,
        "tags": ["operator"],
    }
    if report.extra.get("triaged_by") and report.category:
        return {
            **base,
            "is_report": True,
            "in_region": True,
            "category": report.category,
            "p1": report.priority == "P1",
            "kecamatan": report.kecamatan,
            "kelurahan": report.kelurahan,
        }
    if report.extra.get("dismissed_by") and report.status == ReportStatus.DISMISSED:
        elsewhere = ELSEWHERE.split(" / ")[0] in (report.triage_reason or "").lower()
        return {**base, "is_report": elsewhere, "in_region": False if elsewhere else None}
    return None


async def examples(session: AsyncSession, region: str | None) -> list[dict[str, Any]]:
    query = select(Report).order_by(col(Report.received_at))
    if region:
        query = query.where(Report.region_code == region)
    return [e for r in (await session.exec(query)).all() if (e := example(r)) is not None]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.intake corrections")
    parser.add_argument("file", type=Path, help="where to write the examples (JSON lines)")
    parser.add_argument("--region", help="only this region's reports, e.g. 21.71")
    args = parser.parse_args(argv)

    async def run(uow: Any) -> int:
        found = await examples(uow.session, args.region)
        lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in found)
        args.file.write_text(lines, encoding="utf-8")
        print(f"{len(found)} examples → {args.file}")
        return 0

    return run_admin(create_app(IntakeSettings()), run)
