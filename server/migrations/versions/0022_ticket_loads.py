"""ticket loads: each specialist's open tickets, kept by triggers on tickets

``ticket_loads`` (server/tickets/loads.py): a routing decision reads each Free specialist's
open tickets from it instead of counting them. Filled from the tickets already there, then
kept by triggers (SQLite) or a trigger function (PostgreSQL).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 04:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from server.tickets import loads

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'ticket_loads',
        sa.Column('specialist_id', sa.Integer(), nullable=False),
        sa.Column('open_tickets', sa.Integer(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(['specialist_id'], ['specialists.id']),
        sa.PrimaryKeyConstraint('specialist_id'),
    )
    op.execute(loads.BACKFILL)
    for statement in loads.ddl(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in loads.drop(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('ticket_loads')
