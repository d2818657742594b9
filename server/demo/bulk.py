"""Bulk inserts for the demo seed: Core ``executemany`` statements in batches, new ids
returned in the order of the rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

__all__ = ["BATCH", "insert_ids", "insert_keyed", "insert_rows"]

BATCH = 5000


def insert_ids(session: Session, entity: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Bulk insert returning the new ids in the order of ``rows``."""
    table = entity.__table__
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        result = session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            list(rows[start : start + BATCH]),
        )
        ids.extend(result.scalars().all())
    return ids


def insert_keyed(
    session: Session, entity: Any, rows: Sequence[dict[str, Any]], key: str
) -> list[int]:
    """Bulk insert without RETURNING (much faster for large batches on SQLite), then
    read the new ids back by a unique ``key`` column; ids in the order of ``rows``."""
    insert_rows(session, entity, rows)
    table = entity.__table__
    column = table.c[key]
    wanted = [r[key] for r in rows]
    found: dict[Any, int] = {}
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        result = session.execute(select(column, table.c.id).where(column.in_(chunk)))
        found.update((k, int(i)) for k, i in result)
    return [found[k] for k in wanted]


def insert_rows(session: Session, entity: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert, no ids read back."""
    for start in range(0, len(rows), BATCH):
        session.execute(insert(entity.__table__), list(rows[start : start + BATCH]))
