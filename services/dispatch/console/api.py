"""The supervisors' console over HTTP: the board of open incidents, its live stream, the teams,
the shelters and the period's figures of a regency/city or a whole province. Call-center
accounts see the board without what was said about the person (description, address)."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from services.dispatch.console import summaries
from services.dispatch.console.board import (
    OPEN_STATES,
    BoardRow,
    board_rows,
    place_name,
    without_personal,
)
from services.dispatch.console.live import CLOSED, Change, Hub, Watch, sse
from services.dispatch.console.pages import intake_address, shelter_address
from services.dispatch.domain.console import Period, period_start
from services.dispatch.roster.teamless import regions_without_team
from shared.auth import Role, Staff, ensure_covers, require
from shared.http import platform_of
from shared.platform import Platform
from shared.regions import RegionZone, UnknownRegion, region_zone
from shared.scope import is_province

Reader = Annotated[
    Staff, Depends(require(Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR, Role.CALL_CENTER))
]
Region = Annotated[str, Query(pattern=r"^\d{2}(\.\d{2})?$", examples=["21.71", "21"])]
PING_SECONDS = 15.0


class BoardView(BaseModel):
    at: datetime
    zone: str = Field(description="WIB | WITA | WIT: show times in it")
    arrival_target_minutes: int
    incidents: list[BoardRow]
    regions_without_team: list[str] = Field(
        default=[],
        description="The region asked for (a kabupaten/kota) and the regions of its open "
        "incidents that have no active team: their reports wait with nobody to send",
    )
    region_names: dict[str, str] = Field(
        default={},
        description="The names of the regions in regions_without_team, by code (the banner "
        "names them); a code the national data does not hold is left out",
        examples=[{"21.72": "Kota Tanjung Pinang"}],
    )


class ServicesView(BaseModel):
    intake: str = Field(
        description="Intake as this browser reaches it: a linked report is split off at "
        "POST {intake}/api/v1/reports/{report_id}/unlink, with the same session",
        examples=["http://127.0.0.1:8001"],
    )
    shelter: str = Field(
        description="Shelter as this browser reaches it: the figures page links to "
        "GET {shelter}/api/v1/regions/{region}/figures?from=&to=&format=xlsx, same session",
        examples=["http://127.0.0.1:8003"],
    )


class Spread(BaseModel):
    count: int
    p50_s: float | None
    p90_s: float | None


class Mandiri(BaseModel):
    count: int = Field(description="Outcomes 'independent' in the period")
    closed: int = Field(description="Every outcome in the period")
    percent: float | None


class RegionFigures(BaseModel):
    """One kab/kota of a province, as a provincial report lists them."""

    region_code: str = Field(examples=["64.72"])
    name: str | None = Field(description="'Kota Samarinda'; null for a code not in the data")
    reports: int = Field(description="Reports received in the period")
    incidents: int = Field(description="Incidents received in the period")
    report_to_assigned_p50_s: float | None = Field(description="Median report → assigned")
    report_to_on_scene_p50_s: float | None = Field(description="Median report → on scene")
    ppks_mandiri: Mandiri = Field(
        description="The KPI (shared.contracts.vocabulary.ppks_mandiri); closed = outcomes "
        "recorded in the period"
    )
    no_team: int = Field(description="Incidents no TRC team could go to")


class FiguresView(BaseModel):
    period: str
    from_: datetime = Field(alias="from")
    to: datetime
    zone: str
    reports_by_channel: dict[str, int]
    reports_by_category: dict[str, int]
    incidents: int
    times: dict[str, Spread] = Field(
        description="report_to_assigned, assigned_to_accepted, accepted_to_on_scene (seconds)"
    )
    outcomes: dict[str, int]
    no_team: dict[str, int] = Field(
        default_factory=dict,
        description="Incidents no TRC team could go to, by what was done instead",
    )
    ppks_mandiri: Mandiri = Field(
        description="Of the cases whose outcome was recorded in the period, the share "
        "'independent' (one definition: shared.contracts.vocabulary.ppks_mandiri)"
    )
    by_region: list[RegionFigures] = Field(
        default_factory=list,
        description="A province's figures per kab/kota with data in the period, by code (their "
        "counts add up to the province's); empty for a kab/kota. In the CSV: rows "
        "'by_region.<figure>' whose key is the kab/kota code",
    )


def personal(staff: Staff) -> bool:
    """Supervisors see what was reported about the person; the call center's board does not."""
    return staff.has(Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR)


def _zone(staff: Staff, region: str) -> RegionZone:
    ensure_covers(staff, region)
    try:
        return region_zone(region)
    except UnknownRegion as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None


def _target(request: Request) -> timedelta:
    return timedelta(minutes=request.app.state.arrival_target_minutes)


async def read_changes(
    platform: Platform, clock: Any, target: timedelta, ids: list[str]
) -> list[Change]:
    """The stream's view of the incidents named: a row while open, ``removed`` once not."""
    async with platform.sessions() as session:
        rows = await board_rows(session, now=clock(), arrival_target=target, incident_ids=ids)
    return [
        Change("incident", r.region_code, r.model_dump(mode="json"))
        if r.state in OPEN_STATES
        else Change("removed", r.region_code, {"incident_id": r.incident_id})
        for r in rows
    ]


async def _events(hub: Hub, region: str, show_personal: bool, ping_s: float) -> AsyncIterator[str]:
    # Subscribed once the response is being sent, so a page gone before that leaves nothing.
    subscriber = hub.subscribe(region)
    try:
        yield "retry: 2000\n\n"
        while True:
            try:
                change = await asyncio.wait_for(subscriber.queue.get(), ping_s)
            except TimeoutError:
                yield "event: ping\ndata: {}\n\n"
                continue
            if change is CLOSED:
                return
            data = change.data
            if change.kind == "incident" and not show_personal:
                data = without_personal(data)
            yield sse(change.kind, data)
    finally:  # the page went away, or the server stops
        hub.unsubscribe(subscriber)


def attach_console(
    app: FastAPI, platform: Platform, arrival_target_minutes: int, clock: Any
) -> None:
    """The live feed of this process: started and stopped with the platform; its streams end
    as soon as the server begins to stop (before it waits for open requests)."""
    hub = Hub()
    target = timedelta(minutes=arrival_target_minutes)
    watch = Watch(platform, hub, partial(read_changes, platform, clock, target))
    platform.alongside(watch.start, watch.stop)
    app.state.console_hub, app.state.console_watch = hub, watch
    app.state.arrival_target_minutes = arrival_target_minutes
    app.state.console_ping_seconds = PING_SECONDS
    app.state.before_shutdown.append(hub.close)


def build_console_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/console", tags=["supervisor console"])

    @router.get("/board", response_model=BoardView, summary="Open incidents, most urgent first")
    async def board(request: Request, staff: Reader, region: Region) -> BoardView:
        zone = _zone(staff, region)
        now: datetime = request.app.state.clock()
        async with platform_of(request).sessions() as session:
            rows = await board_rows(
                session, now=now, arrival_target=_target(request), region=region
            )
            own = [] if is_province(region) else [region]
            teamless = await regions_without_team(session, [*own, *(r.region_code for r in rows)])
        if not personal(staff):
            rows = [BoardRow(**without_personal(r.model_dump())) for r in rows]
        return BoardView(
            at=now,
            zone=zone.label,
            arrival_target_minutes=request.app.state.arrival_target_minutes,
            incidents=rows,
            regions_without_team=teamless,
            region_names={code: name for code in teamless if (name := place_name(code))},
        )

    @router.get(
        "/stream",
        summary="Server-Sent Events: incident (a board row), removed, ping",
        response_class=StreamingResponse,
        responses={200: {"content": {"text/event-stream": {}}}},
    )
    async def stream(request: Request, staff: Reader, region: Region) -> StreamingResponse:
        _zone(staff, region)
        hub: Hub = request.app.state.console_hub
        return StreamingResponse(
            _events(hub, region, personal(staff), request.app.state.console_ping_seconds),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    @router.get(
        "/services",
        response_model=ServicesView,
        summary="Where the console's pages reach the other services",
    )
    async def services(request: Request, staff: Reader) -> ServicesView:
        return ServicesView(intake=intake_address(request), shelter=shelter_address(request))

    @router.get("/teams", summary="Teams, load, who is on duty, next, and roster gaps in 24 h")
    async def teams(request: Request, staff: Reader, region: Region) -> dict[str, Any]:
        zone = _zone(staff, region)
        now: datetime = request.app.state.clock()
        async with platform_of(request).sessions() as session:
            found = await summaries.teams(session, region, now)
        return {"at": now, "zone": zone.label, **found}

    @router.get("/shelters", summary="Shelter occupancy, cases by state, long stays")
    async def shelters(request: Request, staff: Reader, region: Region) -> dict[str, Any]:
        zone = _zone(staff, region)
        now: datetime = request.app.state.clock()
        async with platform_of(request).sessions() as session:
            found = await summaries.shelters(session, region, now)
        return {"at": now, "zone": zone.label, **found}

    @router.get(
        "/figures",
        response_model=FiguresView,
        response_model_by_alias=True,
        summary="The period's figures (local calendar); format=csv for a download",
        responses={200: {"content": {"text/csv": {}}}},
    )
    async def figures(
        request: Request,
        staff: Reader,
        region: Region,
        period: Period = "today",
        format: Literal["json", "csv"] = "json",
    ) -> Any:
        zone = _zone(staff, region)
        now: datetime = request.app.state.clock()
        start = period_start(period, now, zone.zone).astimezone(UTC)
        async with platform_of(request).sessions() as session:
            found = await summaries.figures(session, region, start, now)
        result = {"period": period, "from": start, "to": now, "zone": zone.label, **found}
        if format == "csv":
            return _csv(summaries.csv_rows(result), f"figures-{region}-{period}.csv")
        return FiguresView.model_validate(result)

    return router


def _csv(rows: list[tuple[str, str, Any]], filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["figure", "key", "value"])
    writer.writerows(("" if v is None else v for v in row) for row in rows)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
