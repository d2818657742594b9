"""ring decisions

``ring_decisions``: who one incoming call (a line's SIP Call-ID) rings, decided at the first
specialist's question and read by the others (server/calls/ringing.py).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 20:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ring_decisions",
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("sip_call_id", sa.String(length=200), nullable=False),
        sa.Column("specialist_ids", sa.JSON(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"], ["lines.id"], name=op.f("fk_ring_decisions_line_id_lines")
        ),
        sa.PrimaryKeyConstraint("line_id", "sip_call_id", name=op.f("pk_ring_decisions")),
    )
    op.create_index(
        op.f("ix_ring_decisions_decided_at"), "ring_decisions", ["decided_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_ring_decisions_decided_at"), table_name="ring_decisions")
    op.drop_table("ring_decisions")
