"""Staff for the stack's tests: accounts made with the CLI, JSON requests (signed in, or with an
integration key), and signing in on the page with the keyboard."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.support import ROOT, env_with

if TYPE_CHECKING:
    from playwright.sync_api import Page

PASSWORD = "kata-sandi-uji-123"


def get(url: str, token: str) -> Any:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def post(
    url: str, body: dict[str, Any], token: str | None = None, *, api_key: str | None = None
) -> dict[str, Any]:
    """POST ``body`` as staff (``token``) or as an integration (``api_key``); the JSON answer."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if api_key:
        headers["X-API-Key"] = api_key
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, Any] = json.load(response)
        return answer


def add_operator(data_dir: Path, username: str = "rina", region: str = "21.71") -> None:
    """A call-center account, made as the IT officer makes it (PASSWORD)."""
    role = ["--role", "call_center", "--region", region, "--password-env", "PW"]
    subprocess.run(
        [sys.executable, "-m", "services.dispatch", "user", "create", username, *role],
        cwd=ROOT,
        env=env_with(TRC_DATA_DIR=str(data_dir), PW=PASSWORD),
        check=True,
        capture_output=True,
    )


def sign_in(page: Page, username: str) -> None:
    """On the sign-in page: the name, Tab, the password, Enter."""
    from playwright.sync_api import expect

    expect(page.locator("#username")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
