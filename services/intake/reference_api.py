"""Reference data for staff pages: the PPKS categories and each region's places (read-only)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel

from services.intake.domain.gazetteer import UnknownRegionData, gazetteer, known_regions
from services.intake.domain.taxonomy import default_taxonomy
from shared.auth import Staff, current_staff
from shared.regions import UnknownRegion, is_known_region, region_name, region_zone

SignedIn = Annotated[Staff, Depends(current_staff)]


class CategoryView(BaseModel):
    code: str
    name_id: str
    name_en: str
    official: bool
    maps_to: str | None
    spm_group: str | None


class KecamatanView(BaseModel):
    code: str
    name: str
    kelurahan: list[str]


class RegionView(BaseModel):
    region_code: str
    name: str
    zone_label: str
    sample: bool
    # what the region calls its villages: a kota's are kelurahan, a kabupaten's mostly desa
    village_word: Literal["kelurahan", "desa"] = "kelurahan"
    kecamatan: list[KecamatanView] = []


def build_reference_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/reference", tags=["reference"])

    @router.get("/categories", response_model=list[CategoryView], summary="PPKS categories")
    async def categories(_staff: SignedIn) -> list[CategoryView]:
        # Working subtypes first: they are what callers describe (ODGJ, gepeng, anak jalanan).
        ordered = sorted(default_taxonomy(), key=lambda c: (c.official, c.name_id))
        return [
            CategoryView(
                code=c.code,
                name_id=c.name_id,
                name_en=c.name_en,
                official=c.official,
                maps_to=c.maps_to,
                spm_group=c.spm_group,
            )
            for c in ordered
        ]

    @router.get("/regions", response_model=list[RegionView], summary="Regions you cover")
    async def regions(staff: SignedIn) -> list[RegionView]:
        # Those with a department's own data (landmarks) first, then the staff's own regions.
        own = sorted(code for code in staff.regions if is_known_region(code))
        codes = [c for c in known_regions() if staff.covers(c)]
        return [_region(code, places=False) for code in dict.fromkeys([*codes, *own])]

    @router.get("/regions/{region_code}", response_model=RegionView, summary="A region's places")
    async def region(region_code: str, staff: SignedIn) -> RegionView:
        if not staff.covers(region_code) or not is_known_region(region_code):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such region among yours")
        return _region(region_code, places=True)

    return router


def _region(code: str, *, places: bool) -> RegionView:
    """A known region; its kecamatan and kelurahan/desa when asked (every kabupaten/kota has them,
    from the national list); a province comes without places (still a region)."""
    try:
        name = region_name(code)
    except UnknownRegion:  # listed a moment ago; only a broken install gets here
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such region") from None
    view = RegionView(region_code=code, name=name, zone_label=region_zone(code).label, sample=False)
    if not places or "." not in code:
        return view  # a list names the regions only: no province file is read for it
    try:
        data = gazetteer(code)
    except UnknownRegionData:
        return view
    view.village_word = "desa" if data.village_word == "desa" else "kelurahan"
    view.kecamatan = [
        KecamatanView(code=k.kecamatan_code, name=k.name, kelurahan=data.kelurahan_of(k.name))
        for k in data.kecamatan()
    ]
    return view
