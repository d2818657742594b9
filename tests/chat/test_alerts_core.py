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


async def test_a_new_conversation_is_alerted_again_until_opened_and_counted_unread(
    live: object, signed_in: tuple[Workplace, Recorder]
) -> None:
    wp, rec = signed_in
    url = live.url  # type: ignore[attr-defined]
    settings = wp.settings
    settings.sound_on = False
    settings.alert_repeat_seconds = 5
    alerts = wp._alerts
    first_id, other_id = wp.users.ids[-1], wp.users.ids[-3]
    first, other = wp.users.row(first_id), wp.users.row(other_id)
    # what was unread before signing in counts too (GET /me/unread, also loaded with the
    # line: merged, so loading it here as well changes nothing): the count starts there
    await alerts.load_unread()
    base, before_first = alerts.total, alerts.unread.get(first.chat_id, (0, 0))[0]

    await user_writes(url, first, "Добрый день")
    await until(lambda: rec.of(ch.ChatAlert), what="the first alert")
    assert rec.of(ch.ChatAlert)[-1].first and rec.of(ch.ChatAlert)[-1].repeat == 0
    await user_writes(url, first, "Вы тут?")
    await until(lambda: len(rec.of(ch.ChatAlert)) == 2, what="the second alert")
    assert not rec.of(ch.ChatAlert)[-1].first
    assert rec.of(ch.UnreadChanged)[-1].total == base + 2
    # nobody opens it: alerted again (the interval read from the settings)
    await until(
        lambda: any(a.repeat == 1 for a in rec.of(ch.ChatAlert)), within=20, what="a reminder"
    )
    reminder = next(a for a in rec.of(ch.ChatAlert) if a.repeat == 1)
    assert (reminder.chat_id, reminder.preview) == (first.chat_id, "Добрый день")

    # only new conversations alert: the further message of another chat is counted, quiet
    settings.alert_every = False
    await user_writes(url, other, "Вопрос")
    await until(lambda: any(a.chat_id == other.chat_id for a in rec.of(ch.ChatAlert)))
    shown = len(rec.of(ch.ChatAlert))
    await user_writes(url, other, "Ещё вопрос")
    await until(lambda: rec.of(ch.UnreadChanged)[-1].total == base + 4, what="counted unread")
    assert not [a for a in rec.of(ch.ChatAlert)[shown:] if a.chat_id == other.chat_id]

    # opened: read, no more reminders, the count drops
    await wp.open_chat(first_id)
    after = base + 2 - before_first
    await until(lambda: rec.of(ch.UnreadChanged)[-1].total == after, what="the count after reading")
    assert first.chat_id not in alerts.waiting
    # answered by a specialist: no more reminders either
    assert other.chat_id in alerts.waiting
    wp.send(other.chat_id, "Отвечаю")
    await until(lambda: other.chat_id not in alerts.waiting, what="answered")
