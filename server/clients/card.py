"""One user's card for the info panel (``GET /lines/{line_id}/users/{user_id}``): the person,
their row, their company with its support parameters and responsible specialists (each with
their status and, when they are a user of this line too, that user — their chat), the
user's access to this line, and the serving company's other lines they are connected to (a
ticket may be transferred there). (The groups they share with the caller: their own operation,
GET /users/{id}/shared-groups.)"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from contract import clients
from server.core import present
from server.core.models import (
    Chat,
    ClientUser,
    Company,
    CompanyParam,
    CompanyResponsible,
    Line,
    LineUser,
    Specialist,
    utcnow,
)


async def user_card(session: AsyncSession, line_id: int, user: ClientUser) -> clients.UserCard:
    (row,) = await present.user_rows(session, line_id, [user])
    region = user.region
    company_card = None
    if user.company_id is not None and row.company is not None:
        company = await session.get_one(Company, user.company_id)
        region = user.region or company.region
        company_card = clients.CompanyCard(
            id=row.company.id,
            name=row.company.name,
            inns=row.company.inns,
            region=company.region,
            time_zone=company.time_zone,
            params=await _params(session, company.id),
            responsible=await _responsible(session, company.id, line_id),
        )
    until = await session.scalar(
        select(LineUser.until).where(LineUser.line_id == line_id, LineUser.user_id == user.id)
    )
    here = await session.get_one(Line, line_id)
    other_lines = await session.execute(
        select(Line.id, Line.name)
        .join(LineUser, LineUser.line_id == Line.id)
        .join(Chat, (Chat.line_id == Line.id) & (Chat.user_id == user.id))
        .where(
            Line.company_id == here.company_id,
            Line.id != line_id,
            LineUser.user_id == user.id,
            or_(LineUser.until.is_(None), LineUser.until >= utcnow().date()),  # as connected(),
        )
        .order_by(Line.name, Line.id)
    )
    return clients.UserCard(
        **present.person(user, user.id),
        chat_id=row.chat_id,
        company=company_card,
        colleague=row.colleague,
        status=row.status,
        last_message=row.last_message,
        unread=row.unread,
        open_ticket=row.open_ticket,
        region=region,
        presence=row.presence,
        access_until=until,
        other_lines=[clients.LineRef(i, name) for i, name in other_lines],
        disconnected=row.disconnected,
    )


async def _params(session: AsyncSession, company_id: int) -> list[clients.CompanyParam]:
    found = await session.scalars(
        select(CompanyParam).where(CompanyParam.company_id == company_id).order_by(CompanyParam.id)
    )
    return [clients.CompanyParam(tag=p.tag, value=p.value, expires=p.expires) for p in found]


async def _responsible(
    session: AsyncSession, company_id: int, line_id: int
) -> list[clients.PersonRef]:
    found = (
        await session.scalars(
            select(Specialist)
            .join(CompanyResponsible, CompanyResponsible.specialist_id == Specialist.id)
            .join(Line, Line.company_id == Specialist.company_id)
            # Only the serving company of this line: not another vendor's specialists.
            .where(CompanyResponsible.company_id == company_id, Line.id == line_id)
            .order_by(Specialist.id)
        )
    ).all()
    if not found:
        return []
    # their own user accounts connected to this line: a click opens that chat. From the few
    # accounts of these specialists (ix_client_users_specialist_id) to the line's row of each
    # (its key), never through the line's users (100 000 on a large line)
    accounts = dict(
        (
            await session.execute(
                select(ClientUser.specialist_id, ClientUser.id).where(
                    ClientUser.specialist_id.in_([s.id for s in found]),
                    select(LineUser.user_id)
                    .where(LineUser.line_id == line_id, LineUser.user_id == ClientUser.id)
                    .exists(),
                )
            )
        ).all()
    )
    return [
        clients.PersonRef(
            id=s.id, full_name=s.full_name, status=s.status, user_id=accounts.get(s.id)
        )
        for s in found
    ]
