"""Test helpers: domain rows without a server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.core.domain import CompanyRef, LastMessage, UserRow

NOW = datetime.now(UTC)


def row(
    uid: int,
    name: str = "",
    *,
    minutes_ago: float | None = None,
    company: str = "ООО Ромашка",
    inn: str = "7701234567",
    login: str = "",
) -> UserRow:
    lm = None
    if minutes_ago is not None:
        lm = LastMessage(
            uid * 10, f"hello from {uid}", NOW - timedelta(minutes=minutes_ago), "client"
        )
    return UserRow(
        id=uid,
        chat_id=1000 + uid,
        full_name=name or f"Пользователь {uid:06d}",
        login=login or f"user{uid}",
        email=f"user{uid}@example.com",
        position="бухгалтер",
        company=CompanyRef(uid % 500, f"{company} {uid % 500}", (f"{inn}{uid % 500:03d}",)),
        colleague=False,
        status=None,
        avatar_url=None,
        birth_date=None,
        mobile=False,
        last_message=lm,
        unread=0,
        open_ticket=None,
    )
