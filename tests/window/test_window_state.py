"""The window opens where the specialist left it: place, size and pane widths kept in
`window.state` beside settings.json, read before the first paint; a damaged file is ignored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import platformdirs
import pytest
from PySide6.QtCore import QSize

from tests.window.conftest import WINDOW_MARKS
from ui.mainwindow import state as window_state
from ui.mainwindow.state import WindowState
from ui.mainwindow.window import INFO_WIDTH, USERS_WIDTH, MainWindow

pytestmark = WINDOW_MARKS


@pytest.mark.parametrize("xdg", ["", "/somewhere/config"])
def test_the_state_lives_beside_settings_json(
    xdg: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
    want = Path(platformdirs.user_config_dir("linedesk", appauthor=False))
    assert window_state.config_dir() == want
    assert window_state.state_path() == want / "window.state"
    assert window_state.state_path(tmp_path / "c") == tmp_path / "c" / "window.state"


def test_kept_whole_and_anything_else_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "window.state"
    state = WindowState(b"\x01\xd9\xd0\xcb" + bytes(range(60)), 420, 250)
    window_state.write(path, state)
    assert window_state.read(path) == state
    assert [p.name for p in path.parent.iterdir()] == ["window.state"]  # nothing left aside
    good = path.read_bytes()
    for damaged in (
        b"",
        b"LDW1",
        b"XXXX" + good[4:],
        good[:-1],
        good + b"\0",
        b"LDW1" + b"\xff\xff\xff\xff" + good[8:],
        "геометрия".encode(),
    ):
        path.write_bytes(damaged)
        assert window_state.read(path) is None, damaged
    assert window_state.read(tmp_path / "missing") is None


def test_the_window_opens_as_it_was_left(qtbot: Any, tmp_path: Path) -> None:
    first = MainWindow()
    qtbot.addWidget(first)
    first.resize(780, 560)  # (the offscreen screen is 800×600: a kept place is fitted to it)
    first.show()
    qtbot.waitExposed(first)
    first.splitter.setSizes([250, 300, 222])
    qtbot.waitUntil(lambda: first.splitter.sizes()[0] == 250)
    path = tmp_path / "window.state"
    window_state.write(path, first.current_state())
    # the info panel hidden: its last shown width is what is kept
    first.info_button.setChecked(False)
    assert first.current_state().info_width == 222
    first.close()

    second = MainWindow(first_frame_only=True)
    qtbot.addWidget(second)
    kept = window_state.read(path)
    assert kept is not None
    second.restore_state(kept)
    second.show()
    qtbot.waitExposed(second)
    assert second.size() == QSize(780, 560)
    assert second.splitter.sizes()[0] == 250
    second.complete()
    second.info_button.setChecked(True)
    qtbot.waitUntil(lambda: second.splitter.sizes()[2] == 222)
    assert second.splitter.sizes()[0] == 250


def test_widths_out_of_reason_fall_back_to_the_defaults(qtbot: Any) -> None:
    window = MainWindow(first_frame_only=True)
    qtbot.addWidget(window)
    window.restore_state(WindowState(b"not a geometry", 0, 0))
    window.show()
    qtbot.waitExposed(window)
    sizes = window.splitter.sizes()
    assert sizes[0] == USERS_WIDTH and sizes[2] == INFO_WIDTH
