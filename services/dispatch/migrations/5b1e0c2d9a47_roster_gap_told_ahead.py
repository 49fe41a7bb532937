"""roster gap told ahead

Revision ID: 5b1e0c2d9a47
Revises: 0df7e3fdc736
Create Date: 2026-12-07 00:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db

revision: str = "5b1e0c2d9a47"
down_revision: str | Sequence[str] | None = "0df7e3fdc736"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("region_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("gap_ahead_warned_start", shared.db.UtcDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("region_state", schema=None) as batch_op:
        batch_op.drop_column("gap_ahead_warned_start")
