"""Staff for the stack's tests: an operator account made with the CLI, and JSON posts."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

from tests.support import ROOT, env_with

PASSWORD = "kata-sandi-uji-123"
OPERATOR_ROLE = ["--role", "call_center", "--region", "21.71", "--password-env", "PW"]


def get(url: str, token: str) -> Any:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def post(url: str, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, Any] = json.load(response)
        return answer


def add_operator(data_dir: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "services.dispatch", "user", "create", "rina", *OPERATOR_ROLE],
        cwd=ROOT,
        env=env_with(TRC_DATA_DIR=str(data_dir), PW=PASSWORD),
        check=True,
        capture_output=True,
    )
