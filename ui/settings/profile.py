"""My profile (the menu's "My profile…"): who I am as the server knows me, and my photo — a
picture file cropped to a circle (ui/settings/photo.py) and sent (PUT /me/avatar); the window
shows it at once, colleagues get it through `user.updated`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ui.mainwindow.desk import Desk


class ProfileDialog(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileDialog")
        self.setWindowTitle(self.tr("My profile"))
        self._desk = desk
        outer = QVBoxLayout(self)
        form = QFormLayout()
        me = desk.workplace.me if desk.workplace is not None else None
        self.name = QLabel(me.full_name if me else "")
        self.position = QLabel(me.position if me else "")
        for label in (self.name, self.position):
            label.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Position"), self.position)
        self.photo_state = QLabel(
            self.tr("You have a photo.") if me and me.avatar_url else self.tr("No photo yet.")
        )
        self.photo_state.setObjectName("photoState")
        self.photo_state.setWordWrap(True)
        self.photo_state.setTextFormat(Qt.TextFormat.PlainText)
        self.choose = QPushButton(self.tr("Choose a photo…"))
        self.choose.setObjectName("choosePhoto")
        self.choose.clicked.connect(self._choose)
        form.addRow(self.tr("Photo"), self.choose)
        form.addRow("", self.photo_state)
        outer.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        outer.addWidget(buttons)

    def _choose(self) -> None:
        picked, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a photo"),
            "",
            self.tr("Pictures (*.png *.jpg *.jpeg *.bmp *.gif)"),
        )
        if picked:
            self.use_file(Path(picked))

    def use_file(self, path: Path) -> None:
        """Make `path` my photo: said here when it cannot be, else sent."""
        from app.clients.current_line import SET_MY_PHOTO
        from ui.settings.photo import PhotoError, circle_photo

        try:
            png = circle_photo(path)
        except PhotoError as e:
            self.photo_state.setText(str(e))
            return
        workplace = self._desk.workplace
        if workplace is None:
            return
        self.photo_state.setText(self.tr("Sending the photo…"))
        self.choose.setEnabled(False)

        async def send() -> None:
            try:
                await workplace.act(SET_MY_PHOTO, png)
                me = workplace.me
                done = me is not None and me.avatar_url
                self.photo_state.setText(
                    self.tr("Your photo is set.") if done else self.tr("The photo was not sent.")
                )
            finally:
                self.choose.setEnabled(True)

        self._desk.spawn(send())
