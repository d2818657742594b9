"""groups: a chat of several people, seen by its members only

``groups`` and ``group_members``; a group's chat is a ``chats`` row with no user (so
``chats.user_id`` may be null); an event may name its audience (``events.audience``: the
accounts that see it, a group's members).

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-05 07:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _foreign_keys(on: bool) -> None:
    """SQLite rebuilds ``chats`` (copy, drop, rename) while other tables refer to it: foreign
    keys are off for the rebuild, or checked at commit inside a transaction (as in 0003)."""
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")
        if not on:
            op.execute('PRAGMA defer_foreign_keys = ON')


def upgrade() -> None:
    _foreign_keys(on=False)
    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
    _foreign_keys(on=True)
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience', sa.JSON(none_as_null=True), nullable=True))
    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['chat_id'], ['chats.id'], name=op.f('fk_groups_chat_id_chats')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_groups_company_id_companies')),
    sa.ForeignKeyConstraint(['creator_id'], ['specialists.id'], name=op.f('fk_groups_creator_id_specialists')),
    sa.ForeignKeyConstraint(['line_id'], ['lines.id'], name=op.f('fk_groups_line_id_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups')),
    sa.UniqueConstraint('chat_id', name=op.f('uq_groups_chat_id'))
    )
    op.create_table('group_members',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('specialist', 'client', name='accountkind', native_enum=False, length=20), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_members_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'kind', 'account_id', name=op.f('pk_group_members'))
    )
    op.create_index('ix_group_members_account', 'group_members', ['kind', 'account_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_group_members_account', table_name='group_members')
    op.drop_table('group_members')
    op.execute('DELETE FROM messages WHERE chat_id IN (SELECT chat_id FROM groups)')
    op.execute('DELETE FROM files WHERE chat_id IN (SELECT chat_id FROM groups)')
    op.drop_table('groups')  # its chats go below: every chat with no user
    op.execute('DELETE FROM chats WHERE user_id IS NULL')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('audience')
    _foreign_keys(on=False)
    with op.batch_alter_table('chats', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
    _foreign_keys(on=True)
