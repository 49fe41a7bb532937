"""What the authorisation matrix needs to probe an app: every HTTP endpoint it serves (read from
the app's routes, so a new one is probed without being listed), which staff check guards each
one (read from its dependencies), and a request that reaches the handler (a body and query
built from the OpenAPI schema, path parameters filled with seeded ids)."""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, FastAPI
from starlette.routing import Mount

from shared.auth import Role, current_staff, require
from shared.contracts.envelope import REGION_CODE_PATTERN
from shared.pages import ASSETS, staff_page
from tests.integration.api_support import HOME, Seeds


@dataclass(frozen=True)
class Gate:
    """``staff``: an API for signed-in staff holding one of ``roles`` (admins always);
    ``page``: a staff page (the others are sent to sign in); ``open``: no staff check."""

    kind: Literal["staff", "page", "open"]
    roles: frozenset[Role] = frozenset()


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # the route's template, e.g. /api/v1/cases/{case_id}
    gate: Gate
    static_file: str | None = None  # a file to ask a static mount for


@dataclass
class Probe:
    endpoint: Endpoint
    url: str
    query: dict[str, str] = field(default_factory=dict)
    json: Any = None
    content: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    bound: bool = False  # names an object or a place of the seeded region


def _code_of_require() -> Any:
    return require(Role.ADMIN).__code__


def _code_of_page() -> Any:
    router = APIRouter()
    staff_page(router, "/probe", ASSETS / "forbidden.html", ())
    return router.routes[0].endpoint.__code__


REQUIRE_CODE, PAGE_CODE = _code_of_require(), _code_of_page()


def _calls(dependant: Any) -> Iterator[Any]:
    for dependency in getattr(dependant, "dependencies", []):
        yield dependency.call
        yield from _calls(dependency)


def gate_of(route: Any) -> Gate:
    endpoint = getattr(route, "endpoint", None)
    if getattr(endpoint, "__code__", None) is PAGE_CODE:
        return Gate("page", frozenset(inspect.getclosurevars(endpoint).nonlocals["allowed"]))
    calls = list(_calls(getattr(route, "dependant", None)))
    for call in calls:
        if getattr(call, "__code__", None) is REQUIRE_CODE:
            return Gate("staff", frozenset(inspect.getclosurevars(call).nonlocals["roles"]))
    if current_staff in calls:
        return Gate("staff", frozenset(Role))
    return Gate("open")


def _routes(app: FastAPI) -> Iterator[tuple[str, Any, set[str]]]:
    """(path, original route, methods) of every route, through included routers."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI without lazily included routers: app.routes is flat
        for route in app.routes:
            yield route.path, route, set(getattr(route, "methods", None) or [])
        return
    for context in iter_route_contexts(app.routes):
        yield str(context.path), context.original_route, set(context.methods or [])


def endpoints(app: FastAPI) -> list[Endpoint]:
    found: list[Endpoint] = []
    for path, route, methods in _routes(app):
        if isinstance(route, Mount):  # static files: ask for one that exists
            directory = getattr(route.app, "directory", None)
            files = sorted(p.name for p in _files(directory))
            found.append(Endpoint("GET", path, Gate("open"), files[0] if files else "none"))
            continue
        for method in sorted(methods - {"HEAD"}):
            found.append(Endpoint(method, path, gate_of(route)))
    return found


def _files(directory: Any) -> Iterator[Path]:
    if directory is not None:
        yield from (p for p in Path(str(directory)).iterdir() if p.is_file())


# ----------------------------------------------------------------------------- requests
def probe_for(endpoint: Endpoint, spec: dict[str, Any], seeds: Seeds) -> Probe:
    if endpoint.static_file is not None:
        return Probe(endpoint, f"{endpoint.path}/{endpoint.static_file}")
    url, bound = endpoint.path, False
    for name in _path_parameters(endpoint.path):
        seeded = seeds.id_for(endpoint.path, name)
        bound = bound or seeded is not None
        url = url.replace("{" + name + "}", seeded or uuid.uuid4().hex)
    probe = Probe(endpoint, url, bound=bound)
    operation = spec.get("paths", {}).get(endpoint.path, {}).get(endpoint.method.lower())
    if operation is None:  # not in the schema (pages, metrics, webhooks): no parameters
        return probe
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query" and parameter.get("required"):
            probe.query[parameter["name"]] = str(
                _query_value(parameter["name"], parameter["schema"], spec)
            )
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        probe.json = sample(content["application/json"]["schema"], spec)
    elif "text/csv" in content:
        probe.content, probe.headers = "", {"content-type": "text/csv"}
    probe.bound = probe.bound or HOME in [*probe.query.values(), *_strings(probe.json)]
    return probe


def _path_parameters(path: str) -> list[str]:
    return [part[1:-1].split(":")[0] for part in path.split("/") if part.startswith("{")]


def _query_value(name: str, schema: dict[str, Any], spec: dict[str, Any]) -> Any:
    today = date.today()
    if name == "from":
        return today - timedelta(days=7)
    if name == "to":
        return today + timedelta(days=1)
    value = sample(schema, spec)
    return str(value).lower() if isinstance(value, bool) else value


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def sample(schema: dict[str, Any], spec: dict[str, Any]) -> Any:
    """The plainest valid value of ``schema``: its example, first choice or default, else the
    required fields only, one item, the minimum; region codes are the seeded region's."""
    schema = _resolve(schema, spec)
    if schema.get("pattern") == REGION_CODE_PATTERN:
        return HOME
    for key in ("examples", "enum"):
        if schema.get(key):
            return schema[key][0]
    for key in ("example", "const", "default"):
        if schema.get(key) is not None:
            return schema[key]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(s, spec).get("type") != "null"]
            return sample(options[0], spec)
    kind = schema.get("type", "object")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: sample(properties[name], spec) for name in schema.get("required", [])}
    if kind == "array":
        return [sample(schema.get("items", {}), spec)] * max(1, schema.get("minItems", 1))
    if kind in ("integer", "number"):
        value = max(1, schema.get("minimum", 1))  # 1 unless the minimum is higher
        return int(value) if kind == "integer" else float(value)
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return str(date.today())
    if schema.get("format") == "date-time":
        return datetime.now(UTC).isoformat()
    return "x" * max(schema.get("minLength", 0), min(5, schema.get("maxLength", 5)))
