"""chat search: an FTS5 index of Russian stems on SQLite, a GIN russian index on PostgreSQL

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 20:55:00
"""

from collections.abc import Sequence

from alembic import op

from server.chats import search

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in search.ddl(dialect):
        op.execute(statement)
    if dialect == "sqlite":  # the messages already there (the function is registered on connect)
        op.execute(search.SQLITE_BACKFILL)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in search.SQLITE_DROP if dialect == "sqlite" else search.PG_DROP:
        op.execute(statement)
