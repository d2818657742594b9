"""Alembic environment: migrates the connection handed over by ``server.core.db.migrate``."""

from alembic import context
from sqlalchemy.engine import Connection

from server.models import Base


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_on(context.config.attributes["connection"])
