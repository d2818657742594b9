"""The Settings dialog and my profile, through the real window against the real server: the
menu opens them, every registered page is there, my pages change things at once and keep
them, a settings file edited into nonsense loads with defaults and says so, my photo is cut
to a circle and shown, a file that is no picture gets a clear word."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel

from app.core.domain import ConnectionState
from app.store.settings import Settings
from tests.clients.test_users_list import Desk
from tests.window.conftest import WINDOW_MARKS, Api, run_async, window_on
from ui.mainwindow.actions import MainAction
from ui.settings.pages import pages

pytestmark = [*WINDOW_MARKS, pytest.mark.clients]


def _signed_in(qtbot: Any, live_server: Any, wp: Any) -> Iterator[Desk]:
    with window_on(qtbot, wp) as window:
        assert run_async(qtbot, wp.sign_in(live_server.url, "demo", "demo", False))
        qtbot.waitUntil(
            lambda: window.connection.state is ConnectionState.CONNECTED, timeout=15_000
        )
        yield Desk(qtbot, window, wp, Api(live_server.url).login("demo"), live_server.url)


@pytest.fixture
def desk(qtbot: Any, live_server: Any, make_workplace: Any) -> Iterator[Desk]:
    yield from _signed_in(qtbot, live_server, make_workplace("demo"))


def test_the_menu_opens_settings_with_every_page_and_mine_apply_at_once(
    desk: Desk, qtbot: Any
) -> None:
    w = desk.window
    menu = w.menuBar().findChild(type(w.menuBar().addMenu("x")), "mainMenu")
    assert menu is not None
    settings_action = w.commands[MainAction.SETTINGS]
    assert settings_action in menu.actions()
    settings_action.trigger()
    dialog = w.settings_menu.dialog
    assert dialog is not None and dialog.isVisible()
    titles = [dialog.titles.item(i).text() for i in range(dialog.titles.count())]
    assert len(titles) == len(pages()) and "Users list" in titles and "Status" in titles
    # the relevance window: a streaming line shows more at once, and it is kept
    streaming = next(ln for ln in desk.wp.lines if ln.streaming)
    desk.pick_line(streaming.name)
    qtbot.waitUntil(
        lambda: desk.wp.users.line_id == streaming.id and desk.wp.users.complete, timeout=30_000
    )
    shown_60 = w.users_model.rowCount()
    page = dialog.show_page("Users list")
    assert page is not None
    page.active_days.setValue(90)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: desk.wp.users.active_days == 90, timeout=10_000)
    assert w.users_model.rowCount() >= shown_60
    assert "90" in w.users.streaming_note.text() or not w.users.streaming_note.isVisible()
    assert Settings.load(desk.wp.settings.path).actuality_days == 90
    # automatic Away: off, and kept
    status = dialog.show_page("Status")
    assert status is not None
    status.idle_away.setChecked(False)  # type: ignore[attr-defined]
    status.minutes.setValue(12)  # type: ignore[attr-defined]
    kept = Settings.load(desk.wp.settings.path)
    assert kept.idle_away is False and kept.idle_away_minutes == 12
    # the streaming note's click opens the Settings at the list page
    dialog.close()
    if w.users.streaming_note.isVisible():
        w.users.streaming_note.click()
        again = w.settings_menu.dialog
        assert again is not None and again.isVisible()
        assert again.stack.currentWidget().objectName() == "listSettingsPage"


def test_a_settings_file_edited_into_nonsense_loads_with_defaults_and_says_so(
    qtbot: Any, live_server: Any, make_workplace: Any, tmp_path: Path
) -> None:
    from app.store.credentials import Credentials
    from app.workplace import Workplace

    data = tmp_path / "nonsense"
    data.mkdir()
    path = data / "settings.json"
    path.write_text("{ this is not json ]", encoding="utf-8")
    wp = Workplace(data, settings=Settings.load(path), credentials=Credentials(use_keyring=False))
    assert wp.settings.damaged == "unreadable"
    assert wp.settings.actuality_days == 60
    for desk in _signed_in(qtbot, live_server, wp):
        w = desk.window
        note = w.settings_menu.damage_note
        assert note is not None and "could not be read" in note.text()
        w.commands[MainAction.SETTINGS].trigger()
        dialog = w.settings_menu.dialog
        assert dialog is not None and dialog.notice.isVisible()
        dialog.show_page("Users list").active_days.setValue(30)  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: path.with_name("settings.json.bad").exists(), timeout=10_000)
    run_async(qtbot, wp.close(), timeout=20_000)
    assert path.with_name("settings.json.bad").read_text(encoding="utf-8") == "{ this is not json ]"
    assert json.loads(path.read_text(encoding="utf-8"))["actuality_days"] == 30
    # values of a wrong kind or out of range: the defaults, and a word
    path.write_text(json.dumps({"version": 2, "actuality_days": 5000, "idle_away": "yes"}))
    odd = Settings.load(path)
    assert odd.damaged == "values" and odd.actuality_days == 90 and odd.idle_away is True


def test_my_name_at_the_top_left_opens_my_profile(desk: Desk, qtbot: Any) -> None:
    """Seed 000, 2.1: "by clicking the full name in the top left corner" — the profile."""
    w = desk.window
    me = w.status_area.me_button
    qtbot.waitUntil(me.isVisible, timeout=10_000)
    full_name = desk.api.call("GET", "/me")["full_name"]
    assert me.text() == full_name and not me.icon().isNull()
    corner = me.mapTo(w, me.rect().topLeft())
    assert corner.x() < w.width() // 4 and corner.y() < w.height() // 4  # top left
    assert me.geometry().bottom() < w.line_combo.geometry().top()  # above the line's list
    qtbot.mouseClick(me, Qt.MouseButton.LeftButton)
    profile = w.settings_menu.profile
    assert profile is not None and profile.isVisible()
    profile.close()


def test_my_photo_is_cut_to_a_circle_and_shown_at_once(
    desk: Desk, qtbot: Any, tmp_path: Path
) -> None:
    w = desk.window
    w.commands[MainAction.PROFILE].trigger()
    profile = w.settings_menu.profile
    assert profile is not None and profile.isVisible()
    # not a picture (a PDF named .png, a PNG cut off after its header), and a huge one: a
    # clear word, nothing sent and nothing stored
    before = desk.api.call("GET", "/me")["avatar_url"]
    junk = tmp_path / "photo.png"
    junk.write_bytes(b"%PDF-1.4 not a picture")
    profile.use_file(junk)
    assert profile.photo_state.text() == "This file is not a picture (PNG, JPEG, BMP, GIF…)."
    assert profile.choose.isEnabled()  # nothing on its way
    whole = tmp_path / "whole.png"
    QImage(64, 64, QImage.Format.Format_RGB32).save(str(whole))
    cut = tmp_path / "cut.png"
    for length in (60, len(whole.read_bytes()) - 20):  # its size unread, its pixels unread
        cut.write_bytes(whole.read_bytes()[:length])
        profile.use_file(cut)
        assert profile.photo_state.text() == "This file is not a picture (PNG, JPEG, BMP, GIF…)."
    assert desk.api.call("GET", "/me")["avatar_url"] == before
    assert desk.wp.me.avatar_url == before
    huge = tmp_path / "huge.png"
    QImage(13_000, 10, QImage.Format.Format_RGB32).save(str(huge))
    profile.use_file(huge)
    assert "too large" in profile.photo_state.text()
    # a wide picture: its centre, round
    wide = tmp_path / "wide.jpg"
    image = QImage(800, 400, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366cc"))
    image.save(str(wide))
    profile.use_file(wide)
    qtbot.waitUntil(lambda: profile.photo_state.text() == "Your photo is set.", timeout=15_000)
    me = desk.api.call("GET", "/me")
    assert me["avatar_url"] and me["avatar_url"] != before
    assert desk.wp.me.avatar_url == me["avatar_url"]
    from ui.settings.photo import circle_photo

    png = QImage.fromData(circle_photo(wide))
    assert (png.width(), png.height()) == (256, 256)
    assert png.pixelColor(0, 0).alpha() == 0  # outside the circle: transparent
    assert png.pixelColor(128, 128).alpha() == 255


def test_my_profile_fields_are_saved_refused_in_words_and_follow_my_other_session(
    desk: Desk, qtbot: Any
) -> None:
    w = desk.window
    w.commands[MainAction.PROFILE].trigger()
    profile = w.settings_menu.profile
    assert profile is not None and profile.isVisible()
    before = desk.api.call("GET", "/me")
    # a wrong e-mail, then a wrong phone: each named under its field, what was typed stays
    profile.email.clear()
    qtbot.keyClicks(profile.email, "a@@b")
    qtbot.mouseClick(profile.save, Qt.MouseButton.LeftButton)
    error = profile.findChild(QLabel, "emailError")
    qtbot.waitUntil(lambda: error.isVisible(), timeout=10_000)
    assert "not an e-mail address" in error.text() and "@" in error.text()
    assert profile.email.text() == "a@@b"
    profile.phone.clear()
    qtbot.keyClicks(profile.phone, "call me")
    profile.email.clear()
    qtbot.mouseClick(profile.save, Qt.MouseButton.LeftButton)
    phone_error = profile.findChild(QLabel, "phoneError")
    qtbot.waitUntil(lambda: phone_error.isVisible(), timeout=10_000)
    assert "digits" in phone_error.text() and not error.isVisible()
    assert profile.phone.text() == "call me"
    assert desk.api.call("GET", "/me") == before
    # good values (markup in a position is text): saved, and shown everywhere at once
    for edit, text in (
        (profile.position, "Ведущий <b>специалист</b>"),
        (profile.email, "Demidova@Example.RU"),
        (profile.phone, "+7 495 123-45-67"),
    ):
        edit.clear()
        if text.isascii():
            qtbot.keyClicks(edit, text)
        else:  # (QTest types ASCII only: Cyrillic goes in as an input method would put it)
            edit.insert(text)
    qtbot.mouseClick(profile.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: profile.saved.text() == "Saved.", timeout=10_000)
    assert not error.isVisible()
    me = desk.api.call("GET", "/me")
    assert (me["position"], me["email"], me["phone"]) == (
        "Ведущий <b>специалист</b>",
        "Demidova@example.ru",
        "+7 495 123-45-67",
    )
    assert profile.email.text() == "Demidova@example.ru"  # as the server keeps it
    assert desk.wp.me.position == "Ведущий <b>специалист</b>"
    # my other session changes it (the test's own sign-in): this window follows live
    desk.api.call("PUT", "/me/profile", {"position": "Руководитель группы"})
    qtbot.waitUntil(lambda: desk.wp.me.position == "Руководитель группы", timeout=10_000)
    qtbot.waitUntil(lambda: profile.position.text() == "Руководитель группы", timeout=5_000)
