"""One async engine per process, SQLite (embedded default) or PostgreSQL, chosen by the URL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import DateTime, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util import await_only
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

SessionFactory = async_sessionmaker[AsyncSession]
T = TypeVar("T")


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store UTC-aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` and ``sqlite:///`` URLs and pick the async drivers."""
    parsed = make_url(url)
    driver = {"postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}.get(
        parsed.drivername, parsed.drivername
    )
    if driver == "sqlite":
        driver = "sqlite+aiosqlite"
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    url = normalise_url(url)
    if is_sqlite(url):
        return _sqlite_engine(url, echo=echo)
    return create_async_engine(url, echo=echo, pool_size=10, max_overflow=5, pool_pre_ping=False)


class FairPool(AsyncAdaptedQueuePool):
    """A pool that hands its connections out in the order they were asked for.

    SQLAlchemy's asyncio pool lets a task that asks while a connection is free take it, even
    when other tasks were already waiting (the one woken for it then queues again at the back).
    With SQLite's one connection that starved requests: eight webhook clients posting at once,
    one was served again and again while the seven others waited the whole run (4.7 s, and
    the pool's 30 s timeout — a 500 — under a longer surge). Here the askers queue on a FIFO
    lock first; only the one at its head waits for the connection. The wait is bounded twice by
    the pool's timeout (for the turn, then for the connection)."""

    _turn: asyncio.Lock | None = None

    def _do_get(self) -> ConnectionPoolEntry:
        if self._turn is None:
            self._turn = asyncio.Lock()
        if not self._turn.locked():
            await_only(self._turn.acquire())  # nobody waits: the turn is taken at once
        else:
            try:
                await_only(asyncio.wait_for(self._turn.acquire(), self._timeout))
            except TimeoutError:
                raise PoolTimeout(f"no turn for a connection in {self._timeout:.0f} s") from None
        try:
            return super()._do_get()
        finally:
            self._turn.release()


def _sqlite_engine(url: str, *, echo: bool) -> AsyncEngine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    # SQLite has one writer at a time anyway: one pooled connection serialises this process's
    # transactions in Python instead of failing them with "database is locked" — in the order
    # they asked for it (FairPool).
    engine = create_async_engine(
        url,
        echo=echo,
        poolclass=FairPool,
        pool_size=1,
        max_overflow=0,
        connect_args={"timeout": 30},
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy drive transactions (pysqlite's own handling breaks SAVEPOINT).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Take the write lock up front: other processes (e.g. `trc migrate`) wait, never deadlock.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def padded_in_list(values: list[T]) -> list[T]:
    """Pad an ``IN (...)`` list to a power of two by repeating its last value.

    Each list length is a distinct SQL text, and asyncpg prepares (parses and plans) every new
    text once per connection: with a handful of lengths, the prepared statements are reused.
    """
    if not values:
        return values
    size = 1 << (len(values) - 1).bit_length()
    return values + [values[-1]] * (size - len(values))


def session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def create_tables(engine: AsyncEngine, tables: list[Any] | None = None) -> None:
    """Create the given tables (default: all registered) if they do not exist yet."""
    async with engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all, tables=tables)


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.exec_driver_sql("SELECT 1")
