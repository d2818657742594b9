"""The users list's filter: what it asks (`UserFilter`), each user's marks it is checked
against (`flags_of`, `birthday_of`), and how it is kept per line in the settings.

Pure: no Qt, no I/O. The marks of 100 000 users are columns of the prepared index
(app/clients/usercolumns.py): a streaming line's come with its directory (the server's
`flags`, `company_ids`, `birthdays`), a small line's are made here from its rows, and a row
that changes live brings its own. The options a specialist ticks must all hold (and), and
the filter narrows whatever the list shows: a query's hits, or a streaming line's active
users and my list.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.clients.usercolumns import Marks, UserColumns, common
from app.core.domain import Presence, Status, UserRow
from contract.clients import DirectoryFlag

__all__ = [
    "FOR_ME",
    "Only",
    "UserFilter",
    "birthday_days",
    "birthday_of",
    "filtered",
    "flags_of",
    "passes",
    "waits_for_me",
]


class Only(enum.StrEnum):
    """An option of the filter (the value is its name in the settings file)."""

    MINE = "mine"  # a ticket open on me
    UNREAD = "unread"
    WAITING = "waiting"  # the user's message is the last one: waiting for an answer
    WAITING_ME = "waiting_me"  # waiting, in a ticket that is mine or nobody's: for my answer
    ONLINE = "online"
    BIRTHDAY = "birthday"  # birthday today
    FAVOURITES = "favourites"


# plain ints: an IntFlag's `&` is Python code, 10 µs a user in a 100 000-user pass
FLAG_OF: dict[Only, int] = {
    Only.MINE: int(DirectoryFlag.MINE),
    Only.UNREAD: int(DirectoryFlag.UNREAD),
    Only.WAITING: int(DirectoryFlag.WAITING),
    Only.WAITING_ME: int(DirectoryFlag.WAITING),
    Only.ONLINE: int(DirectoryFlag.ONLINE),
}
FOR_ME = int(DirectoryFlag.MINE | DirectoryFlag.UNHELD)
"""The ticket bits of a user waiting for my answer: mine, or nobody's (one of them)."""
_WAITING = int(DirectoryFlag.WAITING)


def waits_for_me(flags: int) -> bool:
    """Is a user with these flag bits waiting for my answer (their message is the chat's last,
    in an open ticket that is mine or nobody's)? Such users float above the others."""
    return bool(flags & _WAITING and flags & FOR_ME)


@dataclass(frozen=True, slots=True)
class UserFilter:
    """What the list is narrowed to: every option in `only`, and the company when set
    (`company_name` is kept to say which, even while none of its users is loaded)."""

    only: frozenset[Only] = frozenset()
    company_id: int = 0
    company_name: str = ""

    def __bool__(self) -> bool:
        return bool(self.only) or bool(self.company_id)

    @property
    def flags(self) -> int:
        """The flag bits every shown user must have."""
        bits = 0
        for option in self.only:
            bits |= FLAG_OF.get(option, 0)
        return bits

    @property
    def any_of(self) -> int:
        """Bits of which every shown user must have one at least (0: no such demand)."""
        return FOR_ME if Only.WAITING_ME in self.only else 0

    def toggled(self, option: Only) -> UserFilter:
        only = self.only - {option} if option in self.only else self.only | {option}
        return UserFilter(only, self.company_id, self.company_name)

    def with_company(self, company_id: int, name: str) -> UserFilter:
        return UserFilter(self.only, company_id, name if company_id else "")

    # -- the settings file (one entry per line) ---------------------------------------------

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"only": sorted(o.value for o in self.only)}
        if self.company_id:
            data["company_id"], data["company_name"] = self.company_id, self.company_name
        return data

    @classmethod
    def from_json(cls, data: object) -> UserFilter:
        """A kept filter; anything unknown or of a wrong kind is left out (never an error)."""
        if not isinstance(data, dict):
            return cls()
        raw = data.get("only")
        names = {o.value for o in Only}
        only = frozenset(
            Only(v)
            for v in (raw if isinstance(raw, list) else [])
            if isinstance(v, str) and v in names
        )
        company = data.get("company_id")
        name = data.get("company_name")
        if not isinstance(company, int) or isinstance(company, bool) or company < 0:
            company = 0
        return cls(only, company, name[:300] if company and isinstance(name, str) else "")


def filtered(
    cols: UserColumns, f: UserFilter, favourites: frozenset[int], within: list[int] | None
) -> list[int]:
    """Positions in `cols` (of `within`, or of everyone) that `f` lets through, ascending."""
    days = birthday_days() if Only.BIRTHDAY in f.only else ()
    if Only.FAVOURITES in f.only:
        mine = sorted(p for p in map(cols.pos, favourites) if p >= 0)
        within = mine if within is None else common(mine, within)
    return cols.marked(f.flags, f.company_id, days, within, f.any_of)


def passes(f: UserFilter, favourites: frozenset[int], user_id: int, marks: Marks) -> bool:
    """Does `f` let this user (with these marks) through?"""
    if not f:
        return True
    if Only.FAVOURITES in f.only and user_id not in favourites:
        return False
    if Only.BIRTHDAY in f.only and marks.birthday not in birthday_days():
        return False
    flags, any_of = f.flags, f.any_of
    if any_of and not marks.flags & any_of:
        return False
    return marks.flags & flags == flags and (not f.company_id or marks.company_id == f.company_id)


def flags_of(row: UserRow, me: int) -> int:
    """The row's DirectoryFlag bits, as the server counts them (server/clients/directory.py)."""
    bits = 0
    if row.unread:
        bits |= DirectoryFlag.UNREAD
    if row.last_message is not None and row.last_message.author_kind == "client":
        bits |= DirectoryFlag.WAITING
    if row.presence is Presence.ONLINE or (
        row.colleague and row.status is not None and row.status is not Status.AWAY
    ):
        bits |= DirectoryFlag.ONLINE
    if row.open_ticket is not None and me and row.open_ticket.specialist_id == me:
        bits |= DirectoryFlag.MINE
    if row.open_ticket is not None and row.open_ticket.specialist_id is None:
        bits |= DirectoryFlag.UNHELD
    return int(bits)


def birthday_of(row: UserRow) -> int:
    """Month × 100 + day of the birth date; 0: not known."""
    born = row.birth_date
    return 0 if born is None else born.month * 100 + born.day


def birthday_days(today: date | None = None) -> tuple[int, ...]:
    """The birthdays (as `birthday_of` counts) that are today, the specialist's local date
    (28 February of a common year takes in 29 February's people)."""
    day = today or date.today()
    mmdd = day.month * 100 + day.day
    if mmdd == 228 and not _leap(day.year):
        return (228, 229)
    return (mmdd,)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
