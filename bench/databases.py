"""Fresh databases for a benchmark run: SQLite files, or PostgreSQL databases dropped after."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

POSTGRES_URL = os.environ.get(
    "TRC_BENCH_POSTGRES_URL",
    os.environ.get("TRC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
)


@dataclass
class Database:
    kind: str
    make_url: Callable[[str], Awaitable[str]]


async def postgres_database(name: str) -> str:
    import asyncpg

    admin = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
    database = f"trc_bench_{name}_{uuid.uuid4().hex[:6]}"
    conn = await asyncpg.connect(admin, timeout=5)
    try:
        await conn.execute(f'CREATE DATABASE "{database}"')
    finally:
        await conn.close()
    CREATED_PG.append(database)
    return f"{POSTGRES_URL.rpartition('/')[0]}/{database}"


CREATED_PG: list[str] = []


async def drop_postgres_databases() -> None:
    if not CREATED_PG:
        return
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        for database in CREATED_PG:
            await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await conn.close()


async def postgres_reachable() -> bool:
    try:
        import asyncpg

        conn = await asyncpg.connect(
            POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://"), timeout=3
        )
        await conn.close()
        return True
    except Exception:
        return False


async def selected(kinds: str) -> list[Database]:
    """The databases named in ``kinds`` ("sqlite,postgresql") that can be reached here."""
    tmp = Path(tempfile.mkdtemp(prefix="trc-bench-"))

    async def sqlite_database(name: str) -> str:
        return f"sqlite:///{tmp}/{name}-{uuid.uuid4().hex[:6]}.db"

    databases = []
    for kind in kinds.split(","):
        if kind == "sqlite":
            databases.append(Database("sqlite", sqlite_database))
        elif kind == "postgresql" and await postgres_reachable():
            databases.append(Database("postgresql", postgres_database))
        elif kind == "postgresql":
            print(f"postgresql: not reachable at {_where(POSTGRES_URL)}; skipped")
    return databases


def _where(url: str) -> str:
    """Host, port and database of a URL — never its password."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 5432}{parts.path}"
