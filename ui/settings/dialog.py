"""The Settings dialog: every registered page (ui/settings/pages.py) in its order, a list of
titles on the left and the chosen page on the right. Non-modal (never `exec()` under the
asyncio loop); each page applies its changes at once, so there is only Close."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.settings.pages import CONTEXT, pages

if TYPE_CHECKING:
    from ui.mainwindow.desk import Desk


class SettingsDialog(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.resize(720, 460)
        outer = QVBoxLayout(self)
        self.notice = QLabel()
        self.notice.setObjectName("settingsNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        outer.addWidget(self.notice)
        row = QHBoxLayout()
        self.titles = QListWidget()
        self.titles.setObjectName("settingsPages")
        self.titles.setMaximumWidth(220)
        self.stack = QStackedWidget()
        row.addWidget(self.titles)
        row.addWidget(self.stack, 1)
        outer.addLayout(row, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        outer.addWidget(buttons)
        self.pages: dict[str, QWidget] = {}
        for spec in pages():
            page = spec.factory(desk)
            title = QCoreApplication.translate(CONTEXT, spec.title)
            self.pages[spec.title] = page
            self.titles.addItem(title)
            self.stack.addWidget(page)
        self.titles.currentRowChanged.connect(self.stack.setCurrentIndex)
        if self.titles.count():
            self.titles.setCurrentRow(0)
        settings = getattr(desk.workplace, "settings", None)
        damaged = getattr(settings, "damaged", "")
        if damaged:
            self.notice.setText(damage_text(damaged))
            self.notice.show()

    def show_page(self, title: str) -> QWidget | None:
        """Show the page registered with `title` (untranslated); None if there is none."""
        page = self.pages.get(title)
        if page is not None:
            self.titles.setCurrentRow(self.stack.indexOf(page))
        return page


def damage_text(damaged: str) -> str:
    """What the specialist is told about a settings file that could not be used as it was."""
    if damaged == "unreadable":
        return QCoreApplication.translate(
            "SettingsDialog",
            "The settings file could not be read, so the defaults are used; the old file is"
            " kept beside it as settings.json.bad.",
        )
    return QCoreApplication.translate(
        "SettingsDialog",
        "Some settings in the settings file were not valid and are back at their defaults.",
    )
