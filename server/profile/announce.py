"""``specialist.updated``: a specialist's profile or photo changed (profile routes, photos)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contract import profile as wire
from server.core import present
from server.core.models import Specialist
from server.events import log as eventlog


async def specialist_updated(session: AsyncSession, specialist: Specialist) -> None:
    """Tell the specialist's company (their other sessions too) who they are now."""
    await eventlog.append(
        session,
        specialist.company_id,
        "specialist.updated",
        present.data(
            wire.SpecialistUpdated(
                id=specialist.id,
                full_name=specialist.full_name,
                position=specialist.position,
                email=specialist.email,
                phone=specialist.phone,
                avatar_url=specialist.avatar_url,
            )
        ),
    )
