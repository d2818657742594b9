"""A notice of the calls feature: one line in words (no PBX, the call failed, nothing to
call…), plain text (it may quote a user's name), closed with one button, never modal to the
loop (`open()`, STYLE 9)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def notice(parent: QWidget, title: str, text: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("callsNotice")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.addButton(QMessageBox.StandardButton.Close)
    box.open()
    return box
