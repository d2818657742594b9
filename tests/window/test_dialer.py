"""The dialer (ui/calls/dialer.py): its command and key, the number pad, what it cannot dial,
and `open_dialer(number)` as the info panel calls it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from telephony.links import NotDialable, NotDialableReason, dial_target, same_number
from tests.window.conftest import WINDOW_MARKS
from ui.mainwindow.actions import MainAction
from ui.mainwindow.window import MainWindow

pytestmark = [*WINDOW_MARKS, pytest.mark.telephony]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("tel:+7-495-123-45-67;ext=12", "+74951234567"),
        ("+7 (495) 123-45-67", "+74951234567"),
        ("8 800 200.00.00", "88002000000"),
        ("*21#", "*21#"),
        ("bob", "bob"),
        ("sip:bob@127.0.0.1:5080", "sip:bob@127.0.0.1:5080"),
        ("  sips:desk@pbx.example.com ", "sips:desk@pbx.example.com"),
    ],
)
def test_what_the_dialer_dials(text: str, target: str) -> None:
    assert dial_target(text) == target


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", NotDialableReason.EMPTY),
        (" - ", NotDialableReason.EMPTY),
        ("8 800 abc", NotDialableReason.NOT_A_NUMBER),
        ("sip:bob@", NotDialableReason.BAD_ADDRESS),
        ("sip:<script>@x", NotDialableReason.BAD_ADDRESS),
        ("mailto:someone@example.com", NotDialableReason.UNKNOWN_LINK),
    ],
)
def test_what_the_dialer_cannot_dial(text: str, reason: NotDialableReason) -> None:
    with pytest.raises(NotDialable) as raised:
        dial_target(text)
    assert raised.value.reason is reason


def test_numbers_written_differently_are_the_same_number() -> None:
    assert same_number("+7 (495) 123-45-67", "8 495 1234567")
    assert not same_number("+7 (495) 123-45-67", "+7 (495) 123-45-68")
    assert not same_number("101", "101")  # too short to be a phone number


def test_the_dialer_from_its_key_the_pad_and_a_number_it_cannot_dial(qtbot: Any) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    command = window.commands[MainAction.DIAL]
    assert command.shortcut().toString() == "Ctrl+Shift+P"
    menus: list[QMenu] = [a.menu() for a in window.menuBar().actions()]
    assert [m.objectName() for m in menus] == ["mainMenu", "callsMenu"]  # the program's first
    assert command in menus[1].actions()
    qtbot.keyClick(
        window.search,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialer = window.calls.dialer
    assert dialer is not None
    qtbot.waitUntil(dialer.isVisible)
    # no PBX here: the dialer says how to connect one
    assert dialer.problem.isVisible()
    assert "Settings → PBX connection" in dialer.problem.text()
    for key in "8800*#":
        qtbot.mouseClick(dialer.keys[key], Qt.MouseButton.LeftButton)
    assert dialer.number.text() == "8800*#"
    dialer.number.clear()
    qtbot.keyClicks(dialer.number, "8 800 abc")
    qtbot.mouseClick(dialer.call, Qt.MouseButton.LeftButton)
    assert dialer.isVisible() and dialer.number.text() == "8 800 abc"  # nothing lost
    assert dialer.problem.text() == "A phone number has only digits, + at the start, * and #"
    assert dialer.problem.textFormat() == Qt.TextFormat.PlainText
    qtbot.keyClick(dialer.number, Qt.Key.Key_Backspace)
    assert dialer.problem.isHidden()  # the field is being fixed


def test_open_dialer_puts_a_number_in_the_dialer(qtbot: Any) -> None:
    """What the info panel calls when a phone number is clicked."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    dialer = window.calls.open_dialer("+7 (495) 123-45-67")
    qtbot.waitUntil(dialer.isVisible)
    assert dialer.number.text() == "+7 (495) 123-45-67"
    assert window.calls.open_dialer() is dialer and dialer.number.text() == "+7 (495) 123-45-67"
    window.calls.open_link("tel:+7-495-765-43-21;phone-context=example.com")
    assert dialer.number.text() == "+74957654321"
    window.calls.open_link("sip:bob@")
    assert dialer.number.text() == "sip:bob@" and dialer.problem.isVisible()
