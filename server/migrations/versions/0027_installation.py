"""which server this is

``installation``: one row, the server's id, made once with its database (a client keys
what it keeps for a server by it: server/core/installation.py).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 06:30:00.000000
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "installation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installation")),
    )
    op.bulk_insert(table, [{"id": 1, "server_id": secrets.token_hex(16)}])


def downgrade() -> None:
    op.drop_table("installation")
