"""my list, client presence; search text with е for ё

A specialist's own list on a line (``my_list``) and client users' presence
(``client_presence``). The search text folds ё into е (a query with either finds both).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 20:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('my_list',
    sa.Column('specialist_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['lines.id'], name=op.f('fk_my_list_line_id_lines')),
    sa.ForeignKeyConstraint(['specialist_id'], ['specialists.id'], name=op.f('fk_my_list_specialist_id_specialists')),
    sa.ForeignKeyConstraint(['user_id'], ['client_users.id'], name=op.f('fk_my_list_user_id_client_users')),
    sa.PrimaryKeyConstraint('specialist_id', 'line_id', 'user_id', name=op.f('pk_my_list'))
    )
    op.create_index('ix_my_list_line_user', 'my_list', ['line_id', 'user_id'], unique=False)
    op.create_table('client_presence',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('presence', sa.Enum('online', 'away', 'offline', name='presence', native_enum=False, length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['client_users.id'], name=op.f('fk_client_presence_user_id_client_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_client_presence'))
    )
    op.execute("UPDATE client_users SET search_text = replace(search_text, 'ё', 'е')")


def downgrade() -> None:
    op.drop_table('client_presence')
    op.drop_index('ix_my_list_line_user', table_name='my_list')
    op.drop_table('my_list')
