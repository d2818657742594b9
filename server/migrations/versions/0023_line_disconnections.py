"""users disconnected from a line

``line_disconnections`` (server/clients/models.py): a client user disconnected from a line
(seed 004), by which specialist, when and why; no row, connected.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 08:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'line_disconnections',
        sa.Column('line_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ['by_id'], ['specialists.id'], name=op.f('fk_line_disconnections_by_id_specialists')
        ),
        sa.ForeignKeyConstraint(
            ['line_id'], ['lines.id'], name=op.f('fk_line_disconnections_line_id_lines')
        ),
        sa.ForeignKeyConstraint(
            ['user_id'],
            ['client_users.id'],
            name=op.f('fk_line_disconnections_user_id_client_users'),
        ),
        sa.PrimaryKeyConstraint('line_id', 'user_id', name=op.f('pk_line_disconnections')),
    )


def downgrade() -> None:
    op.drop_table('line_disconnections')
