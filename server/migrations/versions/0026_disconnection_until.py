"""a disconnection for a time

``line_disconnections.until``: lifted by itself at that instant (seed 004: a temporary block
until the cause is put right; the sweep in server/clients/disconnect.py); NULL: until restored.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 21:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("line_disconnections") as batch:
        batch.add_column(sa.Column("until", sa.DateTime(), nullable=True))
        batch.create_index(op.f("ix_line_disconnections_until"), ["until"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("line_disconnections") as batch:
        batch.drop_index(op.f("ix_line_disconnections_until"))
        batch.drop_column("until")
