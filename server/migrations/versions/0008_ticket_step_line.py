"""tickets: a step may name the line a ticket was transferred to

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 21:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ticket_steps') as batch:
        batch.add_column(sa.Column('line_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f('fk_ticket_steps_line_id_lines'), 'lines', ['line_id'], ['id']
        )


def downgrade() -> None:
    with op.batch_alter_table('ticket_steps') as batch:
        batch.drop_constraint(op.f('fk_ticket_steps_line_id_lines'), type_='foreignkey')
        batch.drop_column('line_id')
