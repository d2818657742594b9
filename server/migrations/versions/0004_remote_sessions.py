"""remote sessions: a specialist's connection to a client user's desktop, and its outcome

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 20:40:56.932155
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op



revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('remote_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('specialist_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.Enum('request', 'password', name='remotemode', native_enum=False, length=20), nullable=False),
    sa.Column('state', sa.Enum('requested', 'accepted', 'declined', 'timed_out', 'connected', 'ended', 'failed', name='remotestate', native_enum=False, length=20), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('reach_via', sa.Enum('direct', 'reverse', 'repeater', name='via', native_enum=False, length=20), nullable=True),
    sa.Column('reach_host', sa.String(length=255), nullable=True),
    sa.Column('reach_port', sa.Integer(), nullable=True),
    sa.Column('repeater_id', sa.String(length=10), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('connected_at', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('comment', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['chat_id'], ['chats.id'], name=op.f('fk_remote_sessions_chat_id_chats')),
    sa.ForeignKeyConstraint(['line_id'], ['lines.id'], name=op.f('fk_remote_sessions_line_id_lines')),
    sa.ForeignKeyConstraint(['specialist_id'], ['specialists.id'], name=op.f('fk_remote_sessions_specialist_id_specialists')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_remote_sessions_ticket_id_tickets')),
    sa.ForeignKeyConstraint(['user_id'], ['client_users.id'], name=op.f('fk_remote_sessions_user_id_client_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remote_sessions'))
    )
    with op.batch_alter_table('remote_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remote_sessions_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remote_sessions_specialist_id'), ['specialist_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remote_sessions_user_id'), ['user_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('remote_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remote_sessions_user_id'))
        batch_op.drop_index(batch_op.f('ix_remote_sessions_specialist_id'))
        batch_op.drop_index(batch_op.f('ix_remote_sessions_line_id'))

    op.drop_table('remote_sessions')

