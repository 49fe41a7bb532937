"""Managing integration keys from the command line."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT, env_with

pytestmark = pytest.mark.integration


def apikey(tmp_path: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "services.intake", "apikey", *args],
        cwd=ROOT,
        env=env_with(TRC_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_a_key_is_shown_once_listed_without_its_secret_and_revocable(tmp_path: Path) -> None:
    created = dict(
        line.split(" ", 1)
        for line in apikey(
            tmp_path, "create", "--name", "monitor", "--region", "21.71"
        ).splitlines()[:2]
    )
    listed = apikey(tmp_path, "list")
    assert created["id"] in listed and "active" in listed
    assert created["key"] not in listed
    assert "revoked" in apikey(tmp_path, "revoke", created["id"])
    assert "revoked" in apikey(tmp_path, "list")
