"""My profile (the menu's "My profile…", seed 000 2.1–2.2): my name as the administrator set
it; my position, e-mail and phone, which I keep up to date (Save sends them: PUT /me/profile;
a field the server refuses is named under it in words, and what I typed stays); and my photo —
a picture file cropped to a circle (ui/settings/photo.py) and sent (PUT /me/avatar). The window
shows each change at once; my other sessions and my colleagues get it live
(`specialist.updated`, `user.updated`), and the dialog follows a change made elsewhere."""

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
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.text import DETAIL_SHOWN, one_line, preview_line

if TYPE_CHECKING:
    from app.core.domain import Me
    from ui.mainwindow.desk import Desk


class ProfileDialog(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileDialog")
        self.setWindowTitle(self.tr("My profile"))
        self._desk = desk
        outer = QVBoxLayout(self)
        self.setMinimumWidth(460)  # a position or an e-mail of 40 characters shows whole
        form = QFormLayout()
        me = desk.workplace.me if desk.workplace is not None else None
        self.name = QLabel(one_line(me.full_name) if me else "")
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(self.tr("Name"), self.name)
        self.position = self._field("position", 200, me.position if me else "")
        self.email = self._field("email", 200, me.email if me else "")
        self.phone = self._field("phone", 50, me.phone if me else "")
        self.email.setPlaceholderText("name@example.ru")
        self.phone.setPlaceholderText("+7 495 123-45-67")
        self._errors: dict[str, QLabel] = {}
        for label, edit in (
            (self.tr("Position"), self.position),
            (self.tr("E-mail"), self.email),
            (self.tr("Phone"), self.phone),
        ):
            form.addRow(label, edit)
            error = QLabel()
            error.setObjectName(f"{edit.objectName()}Error")
            error.setTextFormat(Qt.TextFormat.PlainText)
            error.setWordWrap(True)
            error.setStyleSheet("color: #b00020")
            error.hide()
            self._errors[edit.objectName()] = error
            form.addRow("", error)
        self.save = QPushButton(self.tr("Save"))
        self.save.setObjectName("saveProfile")
        self.save.clicked.connect(self._save)
        self.saved = QLabel()
        self.saved.setObjectName("profileState")
        self.saved.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(self.save, self.saved)
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

    def _field(self, name: str, limit: int, text: str) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setObjectName(name)
        edit.setMaxLength(limit)
        edit.setClearButtonEnabled(True)
        edit.textEdited.connect(lambda _text: self.saved.clear())
        return edit

    def show_me(self, me: Me) -> None:
        """Me changed (here or in another session): the fields follow, unless being edited."""
        self.name.setText(one_line(me.full_name))
        for edit, value in (
            (self.position, me.position),
            (self.email, me.email),
            (self.phone, me.phone),
        ):
            if not edit.isModified():
                edit.setText(value)

    def _save(self) -> None:
        from app.profile.part import UPDATE, Outcome

        workplace = self._desk.workplace
        if workplace is None:
            return
        for error in self._errors.values():
            error.hide()
        self.save.setEnabled(False)
        self.saved.setText(self.tr("Saving…"))
        texts = (self.position.text(), self.email.text(), self.phone.text())

        async def send() -> None:
            try:
                outcome: Outcome | None = await workplace.act(UPDATE, *texts)
            finally:
                self.save.setEnabled(True)
            if outcome is None:  # said in the status bar (no connection, …)
                self.saved.setText(self.tr("Not saved."))
                return
            if outcome.errors:
                self.saved.setText(self.tr("Not saved: see the field."))
                for field, words in outcome.errors:
                    self._show_error(field, words)
                return
            for edit in (self.position, self.email, self.phone):
                edit.setModified(False)
            if outcome.me is not None:
                self.show_me(outcome.me)
            self.saved.setText(self.tr("Saved."))

        self._desk.spawn(send())

    def _show_error(self, field: str, words: str) -> None:
        name = field.removeprefix("body.").split(".")[0]
        label = self._errors.get(name)
        texts = {
            "position": self.tr("The position cannot be kept as written."),
            "email": self.tr("This is not an e-mail address."),
            "phone": self.tr("A phone number: digits, spaces, + ( ) - and an extension."),
        }
        if label is None:  # not a field of this dialog: say it under Save
            shown = preview_line(words, DETAIL_SHOWN)  # the server's words: one line, marked
            self.saved.setText(self.tr("Not saved: {words}").format(words=shown))
            return
        # the server's words add to ours only where they are specific (the e-mail checker's)
        label.setText(f"{texts[name]} ({words})" if name == "email" else texts[name])
        label.show()

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
