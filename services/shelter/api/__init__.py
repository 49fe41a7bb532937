"""Shelter's HTTP API: one router module per resource, request and response models apart."""

from services.shelter.api.cases import build_router

__all__ = ["build_router"]
