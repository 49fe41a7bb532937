"""Backups: the embedded data folder through `trc backup`/`trc restore` (SQLite online backup),
and a PostgreSQL service database through pg_dump/pg_restore."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from services.dispatch.app import create_app as dispatch_app
from services.dispatch.settings import DispatchSettings
from services.intake.app import create_app as intake_app
from services.intake.settings import IntakeSettings
from services.notify.app import create_app as notify_app
from services.notify.settings import NotifySettings
from services.shelter.app import create_app as shelter_app
from services.shelter.settings import ShelterSettings
from shared.platform import Platform
from trc.backup import BackupError, backup, restore
from trc.cli import main as trc

pytestmark = pytest.mark.integration
APPS: dict[str, Any] = {
    "intake": (intake_app, IntakeSettings),
    "dispatch": (dispatch_app, DispatchSettings),
    "shelter": (shelter_app, ShelterSettings),
    "notify": (notify_app, NotifySettings),
}
SECRET = "s" * 48


async def migrate(service: str, **settings: Any) -> None:
    create_app, settings_class = APPS[service]
    platform: Platform = create_app(
        settings_class(auth={"secret": SECRET}, **settings)
    ).state.platform
    try:
        await platform.migrate()
    finally:
        await platform.engine.dispose()


INSERT_INBOX = (
    'INSERT INTO inbox (consumer, event_id, event_type, topic, partition, "offset", outcome, '
    "handled_at) VALUES (?, ?, 'report.received', 'trc.reports.v1', 0, ?, 'handled', "
    "'2026-11-22 13:05:00')"
)


def handled(database: Path) -> list[str]:
    with sqlite3.connect(database) as conn:
        return [r[0] for r in conn.execute("SELECT event_id FROM inbox ORDER BY event_id")]


def write_events(database: Path, *event_ids: str) -> None:
    conn = sqlite3.connect(database)
    try:
        with conn:
            conn.executemany(
                INSERT_INBOX, [(database.stem, e, n) for n, e in enumerate(event_ids, 1)]
            )
    finally:
        conn.close()


@pytest.fixture
async def data_dir(tmp_path: Path) -> Path:
    """A data folder as `trc up` leaves it: four migrated databases, the keys, the logs."""
    folder = tmp_path / "data"
    for service in APPS:
        await migrate(service, database_url=f"sqlite:///{folder / service}.db")
        write_events(folder / f"{service}.db", f"{service}-1", f"{service}-2")
    (folder / ".auth-secret").write_text(SECRET)
    (folder / ".auth-secret").chmod(0o600)
    (folder / ".admin-password").write_text("first admin password")
    (folder / "logs").mkdir()
    (folder / "logs" / "intake.log").write_text("a log line\n")
    return folder


@pytest.fixture
def holder(data_dir: Path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Starts a process that keeps a database of the data folder open, like a running service."""
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        code = (
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(data_dir / 'dispatch.db')!r})\n"
            "c.execute('SELECT count(*) FROM inbox').fetchall()\n"
            "print('open', flush=True)\n"
            "time.sleep(60)\n"
        )
        process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
        assert process.stdout is not None and process.stdout.readline() == b"open\n"
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()
        process.wait()


def test_restore_brings_back_every_database_row_and_the_keys(
    data_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "backup"
    manifest = backup(data_dir, target)

    assert sorted(e.name for e in manifest.databases) == [
        "dispatch.db",
        "intake.db",
        "notify.db",
        "shelter.db",
    ]
    assert sorted(e.name for e in manifest.files) == [".admin-password", ".auth-secret"]
    assert not (target / "logs").exists()
    assert (target / ".auth-secret").stat().st_mode & 0o777 == 0o600

    # after the backup: rows deleted, added and changed, the key replaced
    with sqlite3.connect(data_dir / "dispatch.db") as conn:
        conn.execute("DELETE FROM inbox")
    write_events(data_dir / "intake.db", "intake-3")
    with sqlite3.connect(data_dir / "shelter.db") as conn:
        conn.execute("UPDATE inbox SET event_id = 'changed' WHERE event_id = 'shelter-1'")
    (data_dir / ".auth-secret").write_text("another key " * 4)

    restore(target, data_dir)

    for service in APPS:
        assert handled(data_dir / f"{service}.db") == [f"{service}-1", f"{service}-2"]
    assert (data_dir / ".auth-secret").read_text() == SECRET
    assert (data_dir / ".auth-secret").stat().st_mode & 0o777 == 0o600


def test_the_departments_landmark_files_are_backed_up_and_restored(
    data_dir: Path, tmp_path: Path
) -> None:
    places = data_dir / "places"
    places.mkdir()
    (places / "64.72.json").write_text('{"landmarks": []}\n')
    manifest = backup(data_dir, tmp_path / "backup")
    assert "places/64.72.json" in [e.name for e in manifest.files]
    fresh = tmp_path / "fresh"
    restore(tmp_path / "backup", fresh)
    assert (fresh / "places" / "64.72.json").read_text() == '{"landmarks": []}\n'


async def test_a_restored_folder_is_up_to_date_for_the_migrations(
    data_dir: Path, tmp_path: Path
) -> None:
    backup(data_dir, tmp_path / "backup")
    fresh = tmp_path / "fresh"
    restore(tmp_path / "backup", fresh)

    for service in APPS:  # nothing to do, and the rows are there
        await migrate(service, database_url=f"sqlite:///{fresh / service}.db")
        assert handled(fresh / f"{service}.db") == [f"{service}-1", f"{service}-2"]


def test_a_backup_taken_while_a_transaction_is_open_holds_only_committed_rows(
    data_dir: Path, tmp_path: Path
) -> None:
    writer = sqlite3.connect(data_dir / "notify.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a service in the middle of a batch
    writer.execute(INSERT_INBOX, ("notify", "uncommitted", 9))
    try:
        backup(data_dir, tmp_path / "backup")
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    assert handled(tmp_path / "backup" / "notify.db") == ["notify-1", "notify-2"]


def test_restore_refuses_while_the_stack_holds_the_databases_open(
    data_dir: Path, tmp_path: Path, holder: Callable[[], subprocess.Popen[bytes]]
) -> None:
    backup(data_dir, tmp_path / "backup")
    write_events(data_dir / "dispatch.db", "dispatch-3")
    running = holder()

    with pytest.raises(BackupError, match=str(running.pid)):
        restore(tmp_path / "backup", data_dir)
    assert handled(data_dir / "dispatch.db")[-1] == "dispatch-3"  # nothing touched

    restore(tmp_path / "backup", data_dir, force=True)
    assert handled(data_dir / "dispatch.db") == ["dispatch-1", "dispatch-2"]


def test_a_backup_changed_after_it_was_made_is_not_restored(data_dir: Path, tmp_path: Path) -> None:
    backup(data_dir, tmp_path / "backup")
    (tmp_path / "backup" / ".auth-secret").write_text("tampered " * 8)

    with pytest.raises(BackupError, match="changed"):
        restore(tmp_path / "backup", data_dir)


def test_a_backup_never_overwrites_a_folder_that_holds_something(
    data_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("mine")

    with pytest.raises(BackupError, match="not empty"):
        backup(data_dir, tmp_path / "used")


def test_trc_backup_and_restore_commands(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path / "backup")
    assert trc(["backup", target, "--data-dir", str(data_dir)]) == 0
    (data_dir / "intake.db").unlink()

    assert trc(["restore", target, "--data-dir", str(data_dir)]) == 0
    assert handled(data_dir / "intake.db") == ["intake-1", "intake-2"]
    assert trc(["restore", str(tmp_path / "nothing"), "--data-dir", str(data_dir)]) == 1
    assert "not a backup" in capsys.readouterr().err


# ------------------------------------------------------------------------ PostgreSQL
def _pg_tools() -> None:
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not on PATH (install the PostgreSQL client)")


async def pg(url: str, sql: str, *args: Any) -> list[Any]:
    import asyncpg

    conn = await asyncpg.connect(url, timeout=5)
    try:
        return [tuple(r) for r in await conn.fetch(sql, *args)]
    finally:
        await conn.close()


async def run(command: list[str]) -> None:
    await asyncio.to_thread(subprocess.run, command, check=True)


async def test_pg_dump_and_pg_restore_bring_back_a_service_database(
    postgres_databases: Callable[[], str], tmp_path: Path
) -> None:
    _pg_tools()
    original, replacement = postgres_databases(), postgres_databases()
    await migrate("shelter", database_url=original)
    insert = (
        INSERT_INBOX.replace("?", "${}").format(1, 2, 3).replace("'2026-11-22 13:05:00'", "now()")
    )
    for n in (1, 2):
        await pg(original, insert, "shelter", f"shelter-{n}", n)
    dump = tmp_path / "shelter.dump"

    await run(["pg_dump", "--format=custom", f"--file={dump}", original])
    await pg(original, "DELETE FROM inbox")
    await run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={replacement}", str(dump)])

    rows = await pg(replacement, "SELECT event_id FROM inbox ORDER BY event_id")
    assert rows == [("shelter-1",), ("shelter-2",)]
    await migrate("shelter", database_url=replacement)  # the schema version came along: no-op
    assert await pg(original, "SELECT count(*) FROM inbox") == [(0,)]
