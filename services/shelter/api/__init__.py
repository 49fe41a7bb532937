"""Shelter's HTTP API: one router module per resource, request and response models apart."""

from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from services.shelter.api.cases import add_case_routes
from services.shelter.api.figures import add_figure_routes
from services.shelter.api.people import add_person_routes
from services.shelter.api.privacy import add_privacy_routes
from services.shelter.api.referrals import add_referral_routes
from services.shelter.api.shelters import add_shelter_routes

# The order the routes were published in: the OpenAPI document and its page list them so.
PUBLISHED = (
    "put_shelter",
    "occupancy",
    "region_cases",
    "admit",
    "entry",
    "outcome",
    "close",
    "put_person",
    "correct",
    "overdue",
    "case_detail",
    "refer",
    "region_referrals",
    "answer",
    "export_person",
    "erase_person",
    "similar",
    "get_person",
    "period_figures",
)


def _published_order(route: BaseRoute) -> int:
    name = route.name if isinstance(route, APIRoute) else ""
    return PUBLISHED.index(name) if name in PUBLISHED else len(PUBLISHED)


def build_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["shelter"])
    add_shelter_routes(router)
    add_case_routes(router)
    add_person_routes(router)
    add_referral_routes(router)
    add_privacy_routes(router)
    add_figure_routes(router)
    router.routes.sort(key=_published_order)
    return router
