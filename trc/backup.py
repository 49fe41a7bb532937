"""``trc backup <dir>`` and ``trc restore <dir>``: the embedded stack's data folder.

Each SQLite database is copied with SQLite's online backup API, so a copy is consistent even
while the services write (in WAL mode a reader never waits for the writer); the folder's other
files (the signing key ``.auth-secret``, which also seals the shelter's personal data when no
``TRC_SHELTER_DATA_KEY`` is set, ``.admin-password``, and the department's landmark files in
``places/``) are copied beside them. The broker's
log is not backed up: it is in memory, and the outboxes replay their retention window into the
fresh broker that the next ``trc up`` starts, where the restored inboxes skip what was handled.

Restore refuses while a process holds a database of the data folder open (the stack is
running) unless forced. See docs/backup.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MANIFEST = "trc-backup.json"
FORMAT = 1
DATABASE_SUFFIX = ".db"
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
NOT_BACKED_UP = {"logs"}  # folders: the services' and broker's log files
BACKED_UP_FOLDERS = ("places",)  # the department's landmark files (trc region landmarks import)


class BackupError(Exception):
    """The backup cannot be made or restored as asked (nothing was changed)."""


@dataclass
class Entry:
    name: str
    bytes: int
    sha256: str


@dataclass
class Manifest:
    created_at: str
    source: str
    databases: list[Entry] = field(default_factory=list)
    files: list[Entry] = field(default_factory=list)
    format: int = FORMAT

    def save(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        if not path.exists():
            raise BackupError(f"{folder} holds no {MANIFEST}: not a backup made by `trc backup`")
        raw = json.loads(path.read_text())
        if raw.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {raw.get('format')!r}")
        return cls(
            created_at=raw["created_at"],
            source=raw["source"],
            databases=[Entry(**e) for e in raw["databases"]],
            files=[Entry(**e) for e in raw["files"]],
        )


# ------------------------------------------------------------------------ what is where
def databases_in(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.glob("*" + DATABASE_SUFFIX) if p.is_file())


def other_files_in(data_dir: Path) -> list[Path]:
    """The folder's own files besides the databases (their -wal/-shm are inside the copies), and
    the files of ``places/``."""
    own = [
        p
        for p in data_dir.iterdir()
        if p.is_file()
        and p.suffix != DATABASE_SUFFIX
        and not p.name.endswith(SQLITE_SIDE_FILES)
        and p.name not in NOT_BACKED_UP
    ]
    kept = [
        p for f in BACKED_UP_FOLDERS if (data_dir / f).is_dir() for p in (data_dir / f).iterdir()
    ]
    return sorted(own + [p for p in kept if p.is_file() and not p.name.startswith(".")])


def processes_using(data_dir: Path) -> list[int]:
    """Ids of processes (other than this one) holding a database of ``data_dir`` open.

    Reads ``/proc``; where there is none (not Linux) it cannot tell and returns nothing."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    folder = str(data_dir.resolve()) + os.sep
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            targets = [os.readlink(fd) for fd in (entry / "fd").iterdir()]
        except OSError:  # gone, or not ours to look at
            continue
        if any(t.startswith(folder) and _is_database_file(t) for t in targets):
            found.append(int(entry.name))
    return sorted(found)


def _is_database_file(path: str) -> bool:
    return path.endswith(DATABASE_SUFFIX) or path.endswith(
        tuple(DATABASE_SUFFIX + s for s in SQLITE_SIDE_FILES)
    )


# ------------------------------------------------------------------------ copying
def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entry(path: Path, name: str | None = None) -> Entry:
    return Entry(name or path.name, path.stat().st_size, _sha256(path))


def copy_database(source: Path, target: Path) -> None:
    """Copy one SQLite database page by page (online backup API) into ``target``, which may be
    open elsewhere: SQLite takes the locks, and readers of ``target`` see the whole new content
    at once."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
        problems = dst.execute("PRAGMA quick_check").fetchall()
        if problems != [("ok",)]:
            raise BackupError(f"{target.name}: the copy fails SQLite's check: {problems[:3]}")
    finally:
        dst.close()
        src.close()


def backup(data_dir: Path, target: Path) -> Manifest:
    """Copy the data folder's databases and files into ``target`` (new or empty)."""
    if not data_dir.is_dir():
        raise BackupError(f"no data folder at {data_dir}")
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new folder")
    databases = databases_in(data_dir)
    if not databases:
        raise BackupError(f"{data_dir} holds no databases (*{DATABASE_SUFFIX})")
    target.mkdir(parents=True, exist_ok=True)
    target.chmod(0o700)  # it holds the signing key and people's data
    manifest = Manifest(datetime.now(UTC).isoformat(), str(data_dir.resolve()))
    for database in databases:
        copy = target / database.name
        copy_database(database, copy)
        _single_file(copy)
        manifest.databases.append(_entry(copy))
    for path in other_files_in(data_dir):
        name = path.relative_to(data_dir).as_posix()  # ".auth-secret", "places/64.72.json"
        (target / name).parent.mkdir(exist_ok=True)
        shutil.copy2(path, target / name)  # keeps the mode (600 for secrets)
        manifest.files.append(_entry(target / name, name))
    manifest.save(target)
    return manifest


def _single_file(database: Path) -> None:
    """A backup copy is one self-contained file (no -wal beside it)."""
    conn = sqlite3.connect(database)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def verify(source: Path) -> Manifest:
    manifest = Manifest.load(source)
    for entry in [*manifest.databases, *manifest.files]:
        if Path(entry.name).is_absolute() or ".." in Path(entry.name).parts:
            raise BackupError(f"{entry.name!r} in the manifest is not a name inside the backup")
        path = source / entry.name
        if not path.exists() or _sha256(path) != entry.sha256:
            raise BackupError(f"{path} is missing or changed since the backup was made")
    return manifest


def restore(source: Path, data_dir: Path, *, force: bool = False) -> Manifest:
    """Put a backup back into ``data_dir``; refuses while the stack uses it unless ``force``."""
    manifest = verify(source)
    holders = processes_using(data_dir) if data_dir.exists() else []
    if holders and not force:
        raise BackupError(
            f"the stack is running on {data_dir} (processes {', '.join(map(str, holders))}): "
            "stop it first, or pass --force"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    for entry in manifest.databases:
        copy_database(source / entry.name, data_dir / entry.name)
    for entry in manifest.files:
        (data_dir / entry.name).parent.mkdir(exist_ok=True)
        shutil.copy2(source / entry.name, data_dir / entry.name)
    return manifest


# ------------------------------------------------------------------------ command line
def cmd_backup(args: argparse.Namespace) -> int:
    data_dir, target = Path(args.data_dir), Path(args.dir)
    try:
        manifest = backup(data_dir, target)
    except BackupError as exc:
        return _fail(exc)
    _say(f"backup of {data_dir.resolve()} in {target.resolve()} ({manifest.created_at})")
    for entry in [*manifest.databases, *manifest.files]:
        _say(f"  {entry.name:<20} {entry.bytes:>12,} bytes")
    _say("It holds the signing key and personal data: store it encrypted, off this machine.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    source, data_dir = Path(args.dir), Path(args.data_dir)
    try:
        manifest = restore(source, data_dir, force=args.force)
    except BackupError as exc:
        return _fail(exc)
    names = ", ".join(e.name for e in [*manifest.databases, *manifest.files])
    _say(f"restored {names} into {data_dir.resolve()} (backup of {manifest.created_at})")
    extra = {p.name for p in databases_in(data_dir)} - {e.name for e in manifest.databases}
    if extra:
        _say(f"left as they were (not in the backup): {', '.join(sorted(extra))}")
    _say("Start it with `trc up`: the outboxes replay into the fresh broker; inboxes skip repeats.")
    return 0


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def _fail(exc: Exception) -> int:
    sys.stderr.write(f"trc: {exc}\n")
    return 1


def register(sub: Any) -> None:
    """Add ``trc backup`` and ``trc restore`` to the ``trc`` command line."""
    default_data = os.environ.get("TRC_DATA_DIR", "data")
    backup_parser = sub.add_parser(
        "backup", help="copy the data folder's databases and keys (safe while running)"
    )
    backup_parser.add_argument("dir", help="a new (or empty) folder for the backup")
    backup_parser.add_argument("--data-dir", default=default_data)
    backup_parser.set_defaults(func=cmd_backup)
    restore_parser = sub.add_parser(
        "restore", help="put a `trc backup` folder back into the data folder (stack stopped)"
    )
    restore_parser.add_argument("dir", help="a folder made by `trc backup`")
    restore_parser.add_argument("--data-dir", default=default_data)
    restore_parser.add_argument(
        "--force", action="store_true", help="restore even though the stack is running"
    )
    restore_parser.set_defaults(func=cmd_restore)
