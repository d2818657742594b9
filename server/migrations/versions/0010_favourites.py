"""favourites

A specialist's favourites on a line (``favourites``): users whose chat's every event reaches
the specialist.

Revision ID: 0010
Revises: 0014 (numbered 0010 when given out; chained after the head it landed on)
Create Date: 2026-12-05 07:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('favourites',
    sa.Column('specialist_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['lines.id'], name=op.f('fk_favourites_line_id_lines')),
    sa.ForeignKeyConstraint(['specialist_id'], ['specialists.id'], name=op.f('fk_favourites_specialist_id_specialists')),
    sa.ForeignKeyConstraint(['user_id'], ['client_users.id'], name=op.f('fk_favourites_user_id_client_users')),
    sa.PrimaryKeyConstraint('specialist_id', 'line_id', 'user_id', name=op.f('pk_favourites'))
    )
    op.create_index('ix_favourites_line_user', 'favourites', ['line_id', 'user_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_favourites_line_user', table_name='favourites')
    op.drop_table('favourites')
