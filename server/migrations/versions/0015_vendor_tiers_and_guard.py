"""tickets: a vendor line's first and second line; the reply-time guard per line

A line's first-line right and guard minutes (``ticket_lines``), the specialists of a vendor
line's second line (``ticket_second_line``), the tickets at it (``ticket_escalations``), and
the tier a step moved a ticket to (``ticket_steps.tier``).

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-05 07:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ticket_lines') as batch:
        batch.add_column(
            sa.Column('first_line_right', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column('guard_amber_minutes', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('guard_red_minutes', sa.Integer(), nullable=True))
    op.create_table('ticket_second_line',
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('specialist_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['lines.id'], name=op.f('fk_ticket_second_line_line_id_lines')),
    sa.ForeignKeyConstraint(['specialist_id'], ['specialists.id'], name=op.f('fk_ticket_second_line_specialist_id_specialists')),
    sa.PrimaryKeyConstraint('line_id', 'specialist_id', name=op.f('pk_ticket_second_line'))
    )
    op.create_table('ticket_escalations',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_escalations_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_ticket_escalations'))
    )
    with op.batch_alter_table('ticket_steps') as batch:
        batch.add_column(sa.Column('tier', sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ticket_steps') as batch:
        batch.drop_column('tier')
    op.drop_table('ticket_escalations')
    op.drop_table('ticket_second_line')
    with op.batch_alter_table('ticket_lines') as batch:
        batch.drop_column('guard_red_minutes')
        batch.drop_column('guard_amber_minutes')
        batch.drop_column('first_line_right')
