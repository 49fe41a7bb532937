"""Kafka entrypoints: the public ingress (e.g. a city 112 center) and patrol reports from notify."""

from __future__ import annotations

from functools import partial

from services.intake.domain.duplicates import DuplicatePolicy
from services.intake.ingest import InvalidSubmission, Submission, ingest
from shared.contracts.events import PatrolReportFiled, ReportSubmitted
from shared.contracts.vocabulary import Channel
from shared.messaging.handler import Handler, HandlerContext, Reject


async def on_report_submitted(ctx: HandlerContext, *, policy: DuplicatePolicy) -> None:
    post = ctx.payload
    assert isinstance(post, ReportSubmitted)
    await _ingest(
        ctx,
        policy,
        Submission(
            region_code=ctx.envelope.region_code,
            channel=Channel.INTEGRATION,
            source_ref=f"{post.source_system}:{post.external_ref}",
            description=post.description,
            category=post.category,
            location=post.location,
            people_count=post.people_count,
            danger_flags=post.danger_flags,
            reported_at=post.reported_at,
            reporter_name=post.reporter_name,
            reporter_phone=post.reporter_phone,
            extra={"source_system": post.source_system},
        ),
    )


async def on_patrol_report(ctx: HandlerContext, *, policy: DuplicatePolicy) -> None:
    patrol = ctx.payload
    assert isinstance(patrol, PatrolReportFiled)
    await _ingest(
        ctx,
        policy,
        Submission(
            region_code=ctx.envelope.region_code,
            channel=Channel.PATROL,
            source_ref=f"telegram:{patrol.telegram_update_id}",
            description=patrol.description,
            category=patrol.category,
            location=patrol.location,
            people_count=patrol.people_count,
            reported_at=patrol.filed_at,
            extra={"member_telegram_id": str(patrol.member_telegram_id)},
        ),
    )


async def _ingest(ctx: HandlerContext, policy: DuplicatePolicy, submission: Submission) -> None:
    try:
        await ingest(ctx.session, submission, ctx.emit, policy=policy)
    except InvalidSubmission as exc:
        raise Reject(str(exc)) from exc


def build_handlers(policy: DuplicatePolicy) -> dict[str, dict[str, Handler]]:
    """Intake's consumers by topic, with the region's duplicate policy bound in."""
    return {
        "trc.ingress.reports.v1": {"report.submitted": partial(on_report_submitted, policy=policy)},
        "trc.patrol-reports.v1": {"patrol.report_filed": partial(on_patrol_report, policy=policy)},
    }
