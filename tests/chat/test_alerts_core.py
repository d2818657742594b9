"""Alerts for chats not in view (app/chat/alerts.py) against the real server: a client's
message to a chat not being read alerts; the open chat does not; Do not disturb mutes."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import changes as ch
from app.core.domain import Status
from app.workplace import Workplace
from tests.app.workplaces import Recorder, last_user, until, user_writes

pytestmark = [pytest.mark.chat, pytest.mark.core]


async def test_alerts_for_chats_not_in_view_and_dnd_mutes(
    live: object, signed_in: tuple[Workplace, Recorder], tmp_path: Path
) -> None:
    wp, rec = signed_in
    url = live.url  # type: ignore[attr-defined]
    user_id, row = await last_user(wp)
    await user_writes(url, row, "Здравствуйте, есть вопрос")
    await until(lambda: rec.of(ch.ChatAlert), what="an alert")
    alert = rec.of(ch.ChatAlert)[-1]
    assert (alert.chat_id, alert.user_id) == (row.chat_id, user_id)
    assert alert.preview == "Здравствуйте, есть вопрос" and alert.name

    # the chat being read: no alert
    await wp.open_chat(user_id)
    before = len(rec.of(ch.ChatAlert))
    sent = await user_writes(url, row, "Это в открытый чат")
    await until(
        lambda: any(m.id == sent.id for m in wp.chats[row.chat_id].messages),  # type: ignore[index]
        what="the message in the open chat",
    )
    assert len(rec.of(ch.ChatAlert)) == before

    # Do not disturb: muted
    other_id = wp.users.ids[-2]
    other = wp.users.row(other_id)
    await wp.set_status(Status.DND)
    assert wp.status is Status.DND
    muted = wp._alerts.muted
    await user_writes(url, other, "Срочно!")
    await until(lambda: wp._alerts.muted > muted, what="a muted alert")
    assert len(rec.of(ch.ChatAlert)) == before
