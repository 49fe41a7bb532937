"""Where the console's pages reach the other services: intake (the split) and shelter (the
figures page's monthly XLSX), each a full URL or ':<port>' on the host the browser used."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from services.dispatch.console.api import build_console_router
from services.dispatch.settings import DispatchSettings
from shared.auth import AuthSettings, Role, Staff, issue_token

pytestmark = pytest.mark.unit
AUTH = AuthSettings(secret=SecretStr("s" * 40))


def _services(shelter_url: str, host: str = "10.1.2.3:8002") -> dict[str, str]:
    app = FastAPI()
    app.include_router(build_console_router())
    app.state.auth, app.state.intake_url, app.state.shelter_url = AUTH, ":8001", shelter_url
    staff = Staff("a1", "sari", frozenset({Role.SUPERVISOR}), frozenset({"21.71"}))
    with TestClient(app, base_url=f"http://{host}") as client:
        answer = client.get(
            "/api/v1/console/services",
            headers={"Authorization": f"Bearer {issue_token(staff, AUTH)}"},
        )
    assert answer.status_code == 200, answer.text
    found: dict[str, str] = answer.json()
    return found


def test_shelter_defaults_to_port_8003_and_can_be_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRC_DISPATCH_SHELTER_URL", raising=False)
    assert DispatchSettings().shelter_url == ":8003"
    monkeypatch.setenv("TRC_DISPATCH_SHELTER_URL", "https://trc.example.go.id/shelter")
    assert DispatchSettings().shelter_url == "https://trc.example.go.id/shelter"


def test_a_port_alone_means_the_host_the_browser_used() -> None:
    assert _services(":8003") == {
        "intake": "http://10.1.2.3:8001",
        "shelter": "http://10.1.2.3:8003",
    }
    assert _services(":8003", host="konsol.dinsos.local")["shelter"] == (
        "http://konsol.dinsos.local:8003"
    )


def test_a_full_url_is_kept_without_its_trailing_slash() -> None:
    assert _services("https://trc.example.go.id/shelter/")["shelter"] == (
        "https://trc.example.go.id/shelter"
    )
