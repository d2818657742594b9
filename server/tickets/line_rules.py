"""A line's ticket rules as one transaction sees them: its working hours, whether it is a
vendor line and whether it is tiered (its company holds the first-line right). Read in one
statement at the first question of a transaction and remembered until it ends: routing
one ticket asks them three to four times (the hours before and after the decision, the tier
of the candidates and of the one given it), each a round trip on PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from contract.tickets import WorkingHours
from server.core.models import Line, LineKind
from server.tickets.models import LineSettings

VENDOR_KINDS = (LineKind.VENDOR_FIRST, LineKind.VENDOR_SECOND)
_MEMO = "linedesk.line_rules"  # session.info: (the transaction, {line id: rules})
_RULES = (  # built once, its parameter bound at each call (as routing's statements)
    select(Line.kind, LineSettings.hours, LineSettings.first_line_right)
    .outerjoin(LineSettings, LineSettings.line_id == Line.id)
    .where(Line.id == bindparam("line_id"))
)


@dataclass(frozen=True, slots=True)
class LineRules:
    hours: WorkingHours | None  # None: round the clock
    vendor: bool
    tiered: bool


def rules_of(session: Session, line_id: int) -> LineRules:
    transaction = session.get_transaction()
    kept = session.info.get(_MEMO)
    if kept is None or kept[0] is not transaction:
        kept = session.info[_MEMO] = (transaction, {})
    memo: dict[int, LineRules] = kept[1]
    found = memo.get(line_id)
    if found is None:
        row = session.execute(_RULES, {"line_id": line_id}).first()
        kind, hours, right = row if row is not None else (None, None, None)
        vendor = kind in VENDOR_KINDS
        found = memo[line_id] = LineRules(
            None if hours is None else msgspec.convert(hours, WorkingHours),
            vendor,
            vendor and bool(right),
        )
    return found
