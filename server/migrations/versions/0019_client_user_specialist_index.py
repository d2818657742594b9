"""a colleague's own user accounts found by their specialist

``ix_client_users_specialist_id``: the info panel's card looks up which of a company's
responsible specialists are users of the line (a click opens that chat) by
``client_users.specialist_id``; without the index that lookup read every user of the line
(40 ms on the 100 000-user line, most of the card's time).

Revision ID: 0019
Revises: 0015
Create Date: 2026-12-05 10:40:00.000000
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0019'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_client_users_specialist_id', 'client_users', ['specialist_id'])


def downgrade() -> None:
    op.drop_index('ix_client_users_specialist_id', table_name='client_users')
