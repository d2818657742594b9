"""Times in an English window follow the locale's clock (QLocale's short time format): a US
English system reads "7:25 PM", a British one "19:25"; Russian stays "19:25". The message's
time under its bubble, the users list's row and the user's local time in the info panel."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from PySide6.QtCore import QLocale, QTime

from tests.window.conftest import WINDOW_MARKS, Api
from tests.window.test_actions import shown
from tests.window.test_window import Shown

pytestmark = WINDOW_MARKS
__all__ = ["shown"]


def clock(moment: datetime) -> str:
    return QLocale().toString(QTime(moment.hour, moment.minute), QLocale.FormatType.ShortFormat)


def test_the_english_locale_is_the_systems_own_english() -> None:
    from ui.common.i18n import english_locale

    assert english_locale(QLocale("en_GB")).timeFormat(QLocale.FormatType.ShortFormat) == "HH:mm"
    us = english_locale(QLocale("en_US")).timeFormat(QLocale.FormatType.ShortFormat)
    assert "ap" in us.lower()
    assert english_locale(QLocale("de_DE")).name() == "en_US"  # English asked for elsewhere


def test_times_in_english_follow_the_locales_clock(
    english: None, shown: Shown, qtbot: Any, live_server: Any
) -> None:
    from ui.clients.users_delegate import short_time

    user = shown.without_ticket(shown.pick_line())[-4]
    said = Api(live_server.url).login(user["login"]).post_message(user["chat_id"], "Hi there")
    shown.open_user(user["id"])
    w = shown.window
    model = w.chat_model
    qtbot.waitUntil(lambda: model.row_of(said["client_msg_id"]) >= 0, timeout=10_000)
    message = model.message_at(model.row_of(said["client_msg_id"]))
    local = message.created_at.astimezone()
    footer = w.chat_view.chat_delegate.footer_text(message)
    assert footer == clock(local), footer
    row = shown.wp.users.get(user["id"])
    assert short_time(row.last_message.created_at) == clock(local)
    if QLocale().name() == "en_US":  # (the tests' C locale: an English window is the US's)
        assert re.fullmatch(r"\d{1,2}:\d\d\s[AP]M", footer), footer
        there = w.info_panel.sections["region"].fields.values["local_time"]
        qtbot.waitUntil(lambda: there.text() != "", timeout=5_000)
        assert re.match(r"\d{1,2}:\d\d\s[AP]M \(UTC", there.text()), there.text()
