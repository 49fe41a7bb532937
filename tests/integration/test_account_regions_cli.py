"""``trc user create`` refuses a region an account may not hold, and says why."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT, env_with

pytestmark = pytest.mark.integration


def user(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trc.cli", "user", *args, "--password-env", "PW"]
        if args[0] == "create"
        else [sys.executable, "-m", "trc.cli", "user", *args],
        cwd=ROOT,
        env=env_with(TRC_DATA_DIR=str(tmp_path), PW="kata-sandi-uji-123"),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_province_only_for_a_provincial_supervisor_and_known_codes_only(tmp_path: Path) -> None:
    refused = user(tmp_path, "create", "sari", "--role", "supervisor", "--region", "64")
    assert refused.returncode == 1, refused.stderr[-2000:]
    assert "refused: kode provinsi '64' hanya untuk peran provincial_supervisor" in refused.stdout
    unknown = user(tmp_path, "create", "rina", "--role", "call_center", "--region", "64.99")
    assert unknown.returncode == 1
    assert "wilayah '64.99' tidak dikenal" in unknown.stdout
    made = user(tmp_path, "create", "prov", "--role", "provincial_supervisor", "--region", "64")
    assert made.returncode == 0, made.stdout + made.stderr[-2000:]
    kota = user(tmp_path, "create", "sari", "--role", "supervisor", "--region", "64.72")
    assert kota.returncode == 0, kota.stdout + kota.stderr[-2000:]
    listed = user(tmp_path, "list").stdout
    assert "prov" in listed and "sari" in listed and "rina" not in listed


def test_the_first_admin_is_made_once_with_its_password_in_a_private_file(tmp_path: Path) -> None:
    """What dispatch does as `trc up` starts it on a fresh data folder (and `trc user
    first-admin` by hand): one 'admin', never again, its password only in a mode-600 file."""
    password_file = tmp_path / ".admin-password"
    first = user(tmp_path, "first-admin", "--password-file", str(password_file))
    assert first.returncode == 0, first.stdout + first.stderr[-2000:]
    password = password_file.read_text().strip()
    assert len(password) >= 12 and password not in first.stdout + first.stderr
    assert password_file.stat().st_mode & 0o777 == 0o600
    again = user(tmp_path, "first-admin", "--password-file", str(password_file))
    assert again.returncode == 0 and "created" not in again.stdout
    assert password_file.read_text().strip() == password  # untouched
    assert "admin" in user(tmp_path, "list").stdout
