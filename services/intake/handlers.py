"""Kafka entrypoints: the public ingress (e.g. a city 112 center) and patrol reports from notify."""

from __future__ import annotations

from services.intake.ingest import InvalidSubmission, Submission, ingest
from shared.contracts.events import PatrolReportFiled, ReportSubmitted
from shared.contracts.vocabulary import Channel
from shared.messaging.handler import Handler, HandlerContext, Reject


async def on_report_submitted(ctx: HandlerContext) -> None:
    post = ctx.payload
    assert isinstance(post, ReportSubmitted)
    await _ingest(
        ctx,
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


async def on_patrol_report(ctx: HandlerContext) -> None:
    patrol = ctx.payload
    assert isinstance(patrol, PatrolReportFiled)
    await _ingest(
        ctx,
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


async def _ingest(ctx: HandlerContext, submission: Submission) -> None:
    try:
        await ingest(ctx.session, submission, ctx.emit)
    except InvalidSubmission as exc:
        raise Reject(str(exc)) from exc


HANDLERS: dict[str, dict[str, Handler]] = {
    "trc.ingress.reports.v1": {"report.submitted": on_report_submitted},
    "trc.patrol-reports.v1": {"patrol.report_filed": on_patrol_report},
}
