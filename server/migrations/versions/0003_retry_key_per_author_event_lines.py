"""retry key per author; events concerning more than one line

A message's ``client_msg_id`` was unique per chat, so a client user reusing an id a
specialist had used in the same chat got the specialist's message back (and their own text
was dropped). It is now unique per chat and author: one constraint per kind of author.
Events get ``also_line_ids``: the lines besides ``line_id`` an event concerns.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _foreign_keys(on: bool) -> None:
    """SQLite rebuilds ``messages`` (copy, drop, rename) while rows of other tables refer to
    it: foreign keys are off for the rebuild (outside a transaction, as pysqlite runs DDL)
    or, inside one, where ``foreign_keys`` cannot change, checked at commit instead."""
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")
        if not on:
            op.execute('PRAGMA defer_foreign_keys = ON')


def upgrade() -> None:
    _foreign_keys(on=False)
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint('uq_messages_chat_id', type_='unique')
        batch_op.create_unique_constraint(
            'uq_messages_specialist_key', ['chat_id', 'author_specialist_id', 'client_msg_id']
        )
        batch_op.create_unique_constraint(
            'uq_messages_user_key', ['chat_id', 'author_user_id', 'client_msg_id']
        )
    _foreign_keys(on=True)
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('also_line_ids', sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    _foreign_keys(on=False)
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('also_line_ids')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint('uq_messages_user_key', type_='unique')
        batch_op.drop_constraint('uq_messages_specialist_key', type_='unique')
        batch_op.create_unique_constraint('uq_messages_chat_id', ['chat_id', 'client_msg_id'])
    _foreign_keys(on=True)
