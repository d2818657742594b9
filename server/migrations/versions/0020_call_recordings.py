"""call recordings: a call record's recording, uploaded by its specialist after the call

``call_records.recording_name``: the blob's name in the server's files directory (where chat
files are kept; NULL: no recording yet); ``recording_size``: its bytes.

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-05 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0020'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('call_records') as batch:
        batch.add_column(sa.Column('recording_name', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('recording_size', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('call_records') as batch:
        batch.drop_column('recording_size')
        batch.drop_column('recording_name')
