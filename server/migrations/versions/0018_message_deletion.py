"""message deletion: a specialist's message deleted by its author stays as a tombstone

``messages.deleted_at``: when its author deleted it (NULL: not deleted). A deleted message
keeps its row (its retry key still answers a retry; a reply's quote still points at it)
with its text, file and quote cleared.

Revision ID: 0018
Revises: 0019
Create Date: 2026-12-05 10:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0018'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('messages') as batch:
        batch.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('messages') as batch:
        batch.drop_column('deleted_at')
