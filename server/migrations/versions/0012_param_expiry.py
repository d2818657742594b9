"""a support parameter's end date; messages by file

``company_params.expires``: when what a parameter grants ends (an ITS contract), so the
info panel can show one ending within 30 days in amber without reading it out of the text.
``ix_messages_file_id``: a chat's files (the info panel) found from the files table.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-05 07:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('company_params', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires', sa.Date(), nullable=True))
    op.create_index('ix_messages_file_id', 'messages', ['file_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_messages_file_id', table_name='messages')
    with op.batch_alter_table('company_params', schema=None) as batch_op:
        batch_op.drop_column('expires')
