"""mobile sessions

``auth_tokens.mobile``: the session signed in from a mobile device (``LoginRequest.device``);
a client user's ``mobile`` mark follows their live mobile sessions (server/auth/mobile.py).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 18:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("auth_tokens") as batch:
        batch.add_column(
            sa.Column("mobile", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("auth_tokens") as batch:
        batch.drop_column("mobile")
