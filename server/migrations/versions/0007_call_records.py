"""call records: every call of a line, in or out, with its result and comment

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('call_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('specialist_id', sa.Integer(), nullable=True),
    sa.Column('sip_call_id', sa.String(length=200), nullable=False),
    sa.Column('direction', sa.Enum('in', 'out', name='calldirection', native_enum=False, length=20), nullable=False),
    sa.Column('state', sa.Enum('ringing', 'answered', 'ended', name='callstate', native_enum=False, length=20), nullable=False),
    sa.Column('result', sa.Enum('answered', 'missed', 'busy', 'declined', 'failed', name='callresult', native_enum=False, length=20), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('ringing_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('comment', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['chat_id'], ['chats.id'], name=op.f('fk_call_records_chat_id_chats')),
    sa.ForeignKeyConstraint(['line_id'], ['lines.id'], name=op.f('fk_call_records_line_id_lines')),
    sa.ForeignKeyConstraint(['specialist_id'], ['specialists.id'], name=op.f('fk_call_records_specialist_id_specialists')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_call_records_ticket_id_tickets')),
    sa.ForeignKeyConstraint(['user_id'], ['client_users.id'], name=op.f('fk_call_records_user_id_client_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_records')),
    sa.UniqueConstraint('line_id', 'sip_call_id', name=op.f('uq_call_records_line_id'))
    )
    with op.batch_alter_table('call_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_records_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_records_specialist_id'), ['specialist_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_records_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('call_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_records_user_id'))
        batch_op.drop_index(batch_op.f('ix_call_records_specialist_id'))
        batch_op.drop_index(batch_op.f('ix_call_records_line_id'))

    op.drop_table('call_records')
