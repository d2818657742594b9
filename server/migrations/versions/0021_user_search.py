"""user search: an FTS5 trigram index on SQLite, a GIN trigram index on PostgreSQL

``user_search`` over ``client_users.search_text`` (server/clients/search.py): on SQLite an
FTS5 table with the ``trigram`` tokenizer (external content, kept by triggers), filled from
the users already there; on PostgreSQL the ``pg_trgm`` extension (trusted since PostgreSQL
13: a database owner may create it) and a GIN ``gin_trgm_ops`` index. A line's search of
100 000 users stops reading every user for a query of three characters or more.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 22:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

from server.clients import search

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in search.ddl(dialect):
        op.execute(statement)
    if dialect == "sqlite":  # the users already there
        op.execute(search.SQLITE_BACKFILL)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in search.SQLITE_DROP if dialect == "sqlite" else search.PG_DROP:
        op.execute(statement)
