"""Fuzzing every service's HTTP API from its own OpenAPI schema: whatever arrives, never a 5xx.

One test per service, made by :func:`fuzz`, over every operation of the service's schema, as
an admin (past every role and region check, so the fuzzer reaches the handlers) with intake's
integration key. Each service's database is seeded (``api_support``) before its first case, and
ids in paths are the seeded objects', so a handler gets past "no such case" and meets the fuzzed
body on a real record. HTTP only: the apps' lifespans are not started (no broker, no relay, no
Telegram). ``TRC_FUZZ_EXAMPLES`` sets the examples per operation.

The apps and schemas are built when the module is imported (schemathesis parametrises from a
loaded schema; building an app opens nothing); the databases are written only when a test runs.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings

from shared.auth import AuthSettings, Role, Staff, issue_token
from tests.integration.api_support import (
    HOME,
    Seeds,
    create_service_app,
    end_live_streams,
    seed_database,
)
from tests.support import run_async

pytestmark = pytest.mark.integration
AUTH = AuthSettings(secret="f" * 48)
ADMIN = Staff("fuzz", "fuzz", frozenset({Role.ADMIN}), frozenset({HOME}))
EXAMPLES = int(os.environ.get("TRC_FUZZ_EXAMPLES", "60"))
FILES = Path(tempfile.gettempdir()) / f"trc-fuzz-{os.getpid()}"


def http_only(app: FastAPI) -> Any:
    """``app`` refusing the lifespan scope: schemathesis then serves it without starting it, as
    it would an app without lifespan support."""

    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            raise RuntimeError("HTTP only")
        await app(scope, receive, send)

    return asgi


class Target:
    """One service's app on its own SQLite file, seeded on first use."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.database = FILES / f"{service}.db"
        self.app = create_service_app(service, f"sqlite:///{self.database}", AUTH)
        end_live_streams(self.app)
        self._seeds: Seeds | None = None

    def seeds(self) -> Seeds:
        if self._seeds is None:
            self.database.parent.mkdir(exist_ok=True)
            self.database.unlink(missing_ok=True)
            self._seeds = run_async(seed_database(self.service, f"sqlite:///{self.database}", AUTH))
        return self._seeds

    def headers(self) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {issue_token(ADMIN, AUTH)}"}
        if key := self.seeds().api_key:
            headers["X-API-Key"] = key
        return headers


def fuzz(service: str) -> Callable[..., None]:
    target = Target(service)
    schema = schemathesis.openapi.from_asgi("/openapi.json", http_only(target.app))

    @schema.parametrize()
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def test(case: Any) -> None:
        seeds = target.seeds()
        for name in list(case.path_parameters or {}):
            seeded = seeds.id_for(case.operation.path, name)
            if seeded is not None and name.endswith("_id"):
                case.path_parameters[name] = seeded
        response = case.call(headers={**target.headers(), **(case.headers or {})})
        if case.path == "/readyz" and response.status_code == 503:
            return  # its documented answer while the broker is away (there is none here)
        assert response.status_code < 500, (service, case.method, case.path, response.text[:300])

    return test


test_no_input_makes_intake_fail_with_a_server_error = fuzz("intake")
test_no_input_makes_dispatch_fail_with_a_server_error = fuzz("dispatch")
test_no_input_makes_shelter_fail_with_a_server_error = fuzz("shelter")
test_no_input_makes_notify_fail_with_a_server_error = fuzz("notify")


@pytest.fixture(scope="module", autouse=True)
def _remove_the_databases() -> Iterator[None]:
    yield
    for path in FILES.glob("*"):
        path.unlink()
    if FILES.exists():
        FILES.rmdir()
