"""Alembic environment shared by every service database.

Two version lineages share one ``alembic_version`` table: ``platform`` (outbox, inbox, relay
state; in ``shared/migrations/versions``) and the service's own (in
``services/<service>/migrations``). ``upgrade heads`` brings both up to date. The URL and the
target metadata come from ``config.attributes`` (see ``shared/migrate.py``).
"""

import asyncio
from typing import Any

from alembic import context

from shared.db import create_engine

config = context.config


def run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=config.attributes.get("target_metadata"),
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def main() -> None:
    engine = create_engine(config.attributes["url"])
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline SQL generation is not supported; run against a database")
asyncio.run(main())
