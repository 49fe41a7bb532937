"""HTTP entrypoints of intake. The social-media / integration webhook authenticates with an API
key (``X-API-Key``); the staff pages and APIs come with the shared staff sign-in."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request, Response, status
from limits import parse as parse_rate
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.intake.apikeys import VerifiedKeys
from services.intake.domain.duplicates import DuplicatePolicy
from services.intake.ingest import IngestResult, InvalidSubmission, Submission, ingest
from services.intake.links import hints_of
from services.intake.models import ApiKey
from shared.contracts.envelope import UtcDatetime
from shared.contracts.events import Location
from shared.contracts.vocabulary import Channel
from shared.http import platform_of
from shared.platform import Platform


class SocialPost(BaseModel):
    """A post found by a social-media monitor (or pushed by another integration)."""

    model_config = ConfigDict(extra="forbid")

    platform: str = Field(min_length=1, max_length=40, examples=["x", "facebook", "instagram"])
    post_id: str = Field(min_length=1, max_length=200)
    url: str | None = Field(default=None, max_length=1000)
    author_handle: str | None = Field(default=None, max_length=200)
    text: str = Field(min_length=1, max_length=4000)
    posted_at: UtcDatetime = Field(description="With its time zone, e.g. 2026-11-22T20:05:00+07:00")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class Accepted(BaseModel):
    report_id: str
    status: str = Field(description="open | needs_triage | linked")
    category: str | None
    priority: str
    priority_reasons: list[str]
    duplicate_of: str | None
    link_hints: list[str] = Field(
        default_factory=list,
        description="A link proposed but not made (same caller, similar report nearby): read both",
    )
    created: bool = Field(description="False when this post was received before")


class WebhookLimiter:
    """Requests per API key in a moving window (in this process; one per replica)."""

    def __init__(self, rate: str) -> None:
        self._item = parse_rate(rate)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def allow(self, key_id: str) -> bool:
        return self._limiter.hit(self._item, "webhook", key_id)


async def _integration(
    request: Request, x_api_key: Annotated[str | None, Header()] = None
) -> ApiKey:
    if not x_api_key:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "X-API-Key header required")
    keys: VerifiedKeys = request.app.state.verified_keys
    record = await keys.verify(platform_of(request).sessions, x_api_key)
    if record is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown or revoked API key")
    limiter: WebhookLimiter = request.app.state.webhook_limiter
    if not limiter.allow(record.id):
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS, "too many requests", headers={"Retry-After": "60"}
        )
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
        return await accept(
            request,
            response,
            region_code=key.region_code,
            channel=Channel.SOCIAL_MEDIA,
            source_ref=f"{post.platform}:{post.post_id}",
            description=post.text,
            location=Location(latitude=post.latitude, longitude=post.longitude),
            reported_at=post.posted_at,
            extra={k: v for k, v in {"url": post.url, "integration": key.name}.items() if v},
        )

    return router


def make_submission(**fields: Any) -> Submission:
    """A submission from an API's fields; anything still invalid is a 422, never a 500."""
    try:
        return Submission(**fields)
    except ValidationError as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            exc.errors(include_input=False, include_url=False, include_context=False),
        ) from None


async def accept(request: Request, response: Response, **fields: Any) -> Accepted:
    """The shared tail of every HTTP channel: validate, ingest in one unit of work, answer
    201 for a new report or 200 for one received before (same source reference)."""
    policy: DuplicatePolicy = request.app.state.duplicate_policy
    result = await _submit(platform_of(request), make_submission(**fields), policy)
    if not result.created:
        response.status_code = status.HTTP_200_OK
    return _accepted(result)


async def _submit(
    platform: Platform, submission: Submission, policy: DuplicatePolicy
) -> IngestResult:
    async with platform.uow() as uow:
        try:
            result = await ingest(uow.session, submission, uow.emit, policy=policy)
        except InvalidSubmission as exc:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
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
        link_hints=hints_of(report),
        created=result.created,
    )
