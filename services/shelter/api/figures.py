"""A period's figures over HTTP: JSON, CSV or XLSX, no names; for the region's staff and the
province's supervisors. A province's figures are its total with its kab/kota side by side."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from fastapi.responses import JSONResponse

from services.shelter import figures
from services.shelter.api.access import Reader
from services.shelter.figures_regions import region_label
from shared.auth import ensure_covers
from shared.contracts.envelope import RegionCode
from shared.http import platform_of
from shared.regions import UnknownRegion, region_zone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_DAY, LAST_DAY, MAX_PERIOD_DAYS = date(1970, 1, 1), date(2100, 12, 31), 3653  # ten years


def add_figure_routes(router: APIRouter) -> None:
    @router.get(
        "/regions/{region_code}/figures", summary="A period's figures (JSON, CSV or XLSX; no names)"
    )
    async def period_figures(
        region_code: RegionCode,
        request: Request,
        staff: Reader,
        start: Annotated[date, Query(alias="from")],
        end: Annotated[date, Query(alias="to", description="Exclusive")],
        format: Literal["json", "csv", "xlsx"] = "json",
        lang: Annotated[
            str, Query(pattern="^(id|en)$", description="The XLSX headings: id (default) or en")
        ] = "id",
    ) -> Response:
        ensure_covers(staff, region_code)  # a province's staff cover its kab/kota
        if end <= start:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT, "'to' must come after 'from'"
            )
        if start < FIRST_DAY or end > LAST_DAY or (end - start).days > MAX_PERIOD_DAYS:
            raise HTTPException(  # each month of a period is counted: keep it bounded
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                "at most ten years at a time, between 1970 and 2100",
            )
        try:
            zone = region_zone(region_code).zone
        except UnknownRegion as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
        begin, finish = (datetime.combine(d, time(), tzinfo=zone) for d in (start, end))
        async with platform_of(request).sessions() as session:
            found = await figures.compute(session, region_code, begin, finish)
        name = f"angka-{region_code}-{start}-{end}"
        if format != "json":
            body, media_type = (
                (figures.as_csv(found), "text/csv")
                if format == "csv"
                else (figures.as_xlsx(found, lang), XLSX)
            )
            return Response(
                body,
                media_type=media_type,
                headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'},
            )
        return JSONResponse(
            {
                "region_code": region_code,
                "region_name": region_label(region_code),
                "from": str(start),
                "to": str(end),
                "figures": [{"figure": f, "key": k, "value": v} for f, k, v in found.rows()],
                # The scope's own line, then (a province) a line a kab/kota found in the data.
                "total": found.summary().as_json(),
                "by_region": [part.as_json() for part in found.by_region],
            }
        )
