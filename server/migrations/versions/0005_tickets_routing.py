"""tickets: routing settings per specialist, ticket settings per line, ratings, steps

A ticket's steps (opened, assigned, taken, transferred, finished, rated) are rows of their
own, shown in the chat as system lines.

Routing counts a specialist's open tickets and takes a line's queue oldest first: two
indexes on ``tickets`` for that.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'ticket_specialists',
        sa.Column('specialist_id', sa.Integer(), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('supervisor', sa.Boolean(), nullable=False),
        sa.Column('last_assigned_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['specialist_id'], ['specialists.id'],
            name=op.f('fk_ticket_specialists_specialist_id_specialists'),
        ),
        sa.PrimaryKeyConstraint('specialist_id', name=op.f('pk_ticket_specialists')),
    )
    op.create_table(
        'ticket_lines',
        sa.Column('line_id', sa.Integer(), nullable=False),
        sa.Column('auto_finish_minutes', sa.Integer(), nullable=True),
        sa.Column('hours', sa.JSON(none_as_null=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['line_id'], ['lines.id'], name=op.f('fk_ticket_lines_line_id_lines')
        ),
        sa.PrimaryKeyConstraint('line_id', name=op.f('pk_ticket_lines')),
    )
    op.create_table(
        'ticket_ratings',
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('score', sa.SmallInteger(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('rated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_ratings_ticket_id_tickets')
        ),
        sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_ticket_ratings')),
    )
    op.create_table(
        'ticket_steps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('chat_id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('via', sa.String(length=20), nullable=True),
        sa.Column('specialist_id', sa.Integer(), nullable=True),
        sa.Column('from_specialist_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('score', sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ['chat_id'], ['chats.id'], name=op.f('fk_ticket_steps_chat_id_chats')
        ),
        sa.ForeignKeyConstraint(
            ['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_steps_ticket_id_tickets')
        ),
        sa.ForeignKeyConstraint(
            ['specialist_id'], ['specialists.id'],
            name=op.f('fk_ticket_steps_specialist_id_specialists'),
        ),
        sa.ForeignKeyConstraint(
            ['from_specialist_id'], ['specialists.id'],
            name=op.f('fk_ticket_steps_from_specialist_id_specialists'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_steps')),
    )
    op.create_index('ix_ticket_steps_chat_id_id', 'ticket_steps', ['chat_id', 'id'])
    op.create_index('ix_tickets_holder_state', 'tickets', ['specialist_id', 'state'])
    op.create_index(
        'ix_tickets_line_state_opened', 'tickets', ['line_id', 'state', 'opened_at']
    )


def downgrade() -> None:
    op.drop_index('ix_tickets_line_state_opened', table_name='tickets')
    op.drop_index('ix_tickets_holder_state', table_name='tickets')
    op.drop_index('ix_ticket_steps_chat_id_id', table_name='ticket_steps')
    op.drop_table('ticket_steps')
    op.drop_table('ticket_ratings')
    op.drop_table('ticket_lines')
    op.drop_table('ticket_specialists')
