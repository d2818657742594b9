"""The companies of a line's users: what the users list's filter by company chooses from.

A line of a large client has thousands of companies, so the choice is searched, not scrolled:
`COMPANIES` fetches the line's companies (GET /lines/{id}/companies) as a `CompanyList`, whose
keys (name and INNs, lower-cased, ё as е) are prepared once; `matching` hands a view the
positions a query finds, in name order. No Qt here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.clients.usercolumns import fold
from app.context import Context
from app.core import parse
from app.net.errors import MalformedReply
from contract import clients

COMPANIES = "clients.companies"
"""Intent: (line_id) → the `CompanyList` of that line (a line I serve)."""


@dataclass(frozen=True, slots=True)
class Company:
    id: int
    name: str
    inns: tuple[str, ...]
    users: int  # its users on the line


class CompanyList:
    """A line's companies by name (е = ё, any case; then by id), with a prepared key each."""

    def __init__(self, line_id: int, companies: Sequence[Company]) -> None:
        self.line_id = line_id
        self.items: tuple[Company, ...] = tuple(
            sorted(companies, key=lambda c: (fold(c.name), c.id))
        )
        self._keys = ["\n".join((fold(c.name), *c.inns)) for c in self.items]
        self._positions = {c.id: i for i, c in enumerate(self.items)}

    def __len__(self) -> int:
        return len(self.items)

    def matching(self, query: str) -> list[int]:
        """The positions of the companies whose name or an INN holds `query` (all for none)."""
        folded = fold(query.strip())
        if not folded:
            return list(range(len(self.items)))
        return [i for i, key in enumerate(self._keys) if folded in key]

    def position(self, company_id: int) -> int | None:
        return self._positions.get(company_id)


def company_list(line_id: int, raw: object) -> CompanyList:
    try:
        got = parse.convert(raw, clients.LineCompanies)
    except parse.Malformed as e:
        raise MalformedReply(detail=f"companies: {e}") from None
    return CompanyList(line_id, [Company(c.id, c.name, tuple(c.inns), c.users) for c in got.items])


class Companies:
    """The part: registers `COMPANIES`."""

    def __init__(self, session: Context) -> None:
        self._session = session
        session.intents.register(COMPANIES, self.of_line)

    async def of_line(self, line_id: int) -> CompanyList:
        api = self._session.api
        assert api is not None
        return company_list(line_id, await api.call("GET", f"/lines/{line_id}/companies"))
