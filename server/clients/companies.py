"""GET /lines/{id}/companies: the companies of a line's users, what the users list's filter by
company chooses from (a line of a large client has thousands: the client searches them)."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import func, select

from contract import clients, clients_ops
from server.auth.access import served_line
from server.clients.search import connected
from server.core.models import ClientUser, Company, CompanyInn, LineUser, utcnow
from server.core.state import authenticate, state_of
from server.core.wire import handles, params, reply

routes = web.RouteTableDef()


@handles(routes, clients_ops.LINE_COMPANIES)
async def line_companies(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        line_id = params(request, clients_ops.LINE_COMPANIES, clients.LinePath).line_id
        await served_line(session, caller, line_id)
        counts = (
            select(ClientUser.company_id, func.count().label("users"))
            .join(LineUser, LineUser.user_id == ClientUser.id)
            .where(
                LineUser.line_id == line_id,
                ClientUser.company_id.is_not(None),
                connected(utcnow().date()),
            )
            .group_by(ClientUser.company_id)
            .subquery()
        )
        rows = await session.execute(
            select(Company.id, Company.name, counts.c.users)
            .join(counts, counts.c.company_id == Company.id)
            .order_by(Company.name, Company.id)
        )
        found = list(rows)
        inns: dict[int, list[str]] = {}
        for company_id, inn in await session.execute(
            select(CompanyInn.company_id, CompanyInn.inn)
            .join(counts, counts.c.company_id == CompanyInn.company_id)
            .order_by(CompanyInn.company_id, CompanyInn.inn)
        ):
            inns.setdefault(company_id, []).append(inn)
    items = [clients.LineCompany(i, name, inns.get(i, []), n) for i, name, n in found]
    return reply(clients.LineCompanies(items))
