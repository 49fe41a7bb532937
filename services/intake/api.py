"""HTTP entrypoints of intake. The social-media / integration webhook authenticates with an API
key (``X-API-Key``); the staff pages and APIs come with the shared staff sign-in."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from services.intake.apikeys import verify_key
from services.intake.ingest import IngestResult, InvalidSubmission, Submission, ingest
from services.intake.models import ApiKey
from shared.contracts.events import Location
from shared.contracts.vocabulary import Channel
from shared.platform import Platform


class SocialPost(BaseModel):
    """A post found by a social-media monitor (or pushed by another integration)."""

    model_config = ConfigDict(extra="forbid")

    platform: str = Field(min_length=1, max_length=40, examples=["x", "facebook", "instagram"])
    post_id: str = Field(min_length=1, max_length=200)
    url: str | None = Field(default=None, max_length=1000)
    author_handle: str | None = Field(default=None, max_length=200)
    text: str = Field(min_length=1, max_length=4000)
    posted_at: datetime
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class Accepted(BaseModel):
    report_id: str
    status: str = Field(description="open | needs_triage | linked")
    category: str | None
    priority: str
    priority_reasons: list[str]
    duplicate_of: str | None
    created: bool = Field(description="False when this post was received before")


def _platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


async def _integration(
    request: Request, x_api_key: Annotated[str | None, Header()] = None
) -> ApiKey:
    if not x_api_key:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "X-API-Key header required")
    async with _platform(request).sessions() as session:
        record = await verify_key(session, x_api_key)
    if record is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown or revoked API key")
    return record


def build_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["intake"])

    @router.post(
        "/webhooks/social",
        response_model=Accepted,
        status_code=status.HTTP_201_CREATED,
        summary="Receive a social-media post; reports are classified, noise kept for review",
        responses={200: {"description": "Already received (same platform and post id)"}},
    )
    async def social_webhook(
        post: SocialPost,
        request: Request,
        response: Response,
        key: Annotated[ApiKey, Depends(_integration)],
    ) -> Accepted:
        submission = Submission(
            region_code=key.region_code,
            channel=Channel.SOCIAL_MEDIA,
            source_ref=f"{post.platform}:{post.post_id}",
            description=post.text,
            location=Location(latitude=post.latitude, longitude=post.longitude),
            reported_at=post.posted_at,
            extra={k: v for k, v in {"url": post.url, "integration": key.name}.items() if v},
        )
        result = await _submit(_platform(request), submission)
        if not result.created:
            response.status_code = status.HTTP_200_OK
        return _accepted(result)

    return router


async def _submit(platform: Platform, submission: Submission) -> IngestResult:
    async with platform.uow() as uow:
        try:
            result = await ingest(uow.session, submission, uow.emit)
        except InvalidSubmission as exc:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_ENTITY,
                [{"loc": ["body", exc.field], "msg": str(exc), "type": "value_error"}],
            ) from exc
        await uow.commit()
    return result


def _accepted(result: IngestResult) -> Accepted:
    report = result.report
    return Accepted(
        report_id=report.id,
        status=report.status,
        category=report.category,
        priority=report.priority,
        priority_reasons=report.priority_reasons,
        duplicate_of=report.duplicate_of,
        created=result.created,
    )
