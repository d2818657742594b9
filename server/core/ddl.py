"""Objects the models cannot describe (an FTS5 table and its triggers, an expression or
trigram index): their statements run after a table is created by a fresh database's
``create_all``, on one dialect. A migration runs the same statements on an existing one."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import DDL, Table, event


def after_create(table: Table, dialect: str, statements: Iterable[str]) -> None:
    """Run ``statements`` (static SQL) right after ``table`` is created on ``dialect``."""
    for statement in statements:
        ddl = DDL(statement)  # type: ignore[no-untyped-call]
        event.listen(table, "after_create", ddl.execute_if(dialect=dialect))
