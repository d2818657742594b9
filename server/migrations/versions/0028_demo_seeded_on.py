"""the day the demo data set was seeded

``installation.demo_seeded_on``: the (UTC) day a demo seed wrote this database's data, its
dates relative to that day; NULL for a database the demo seed did not make. A demo database
seeded on an earlier day is seeded again at a ``--seed`` start (server/demo/seeding.py).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("installation") as batch:
        batch.add_column(sa.Column("demo_seeded_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("installation") as batch:
        batch.drop_column("demo_seeded_on")
