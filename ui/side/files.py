"""The info panel's Files: the files of this line's chat, newest first (name, size, who sent
it and when). Open (double-click, Enter, the button) or Save as… go to the chat pane's file
handling (ui/chat/files.py, through the desk): saved before it is opened, and an executable
or a script is never opened. A file arriving in the chat joins the list at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QHBoxLayout, QPushButton

from app.chat.files import FILES
from app.core.domain import FileRef, Message
from ui.chat.files import size_words
from ui.common.when import date_time_text
from ui.side.listmodel import ROW, FittedList, Look, RowsModel, someone_elses
from ui.side.section import Section, SectionHost, info_section, plain_label

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.core import changes as ch
    from app.core.domain import UserCard, UserRow
    from ui.mainwindow.bridge import Bridge

SHOWN = 50  # the newest files asked for


@info_section
class FilesSection(Section):
    key = "files"
    order = 70

    def __init__(self, host: SectionHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.chat_id: int | None = None
        self.files = RowsModel[Message](self._look, self)
        self.view = FittedList("infoFiles")
        self.view.setModel(self.files)
        self.view.activated.connect(self._open_index)
        self.view.doubleClicked.connect(self._open_index)
        self.body.addWidget(self.view)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setObjectName("infoFileOpen")
        self.open_button.clicked.connect(lambda: self._current(open_it=True))
        self.save_button = QPushButton(self.tr("Save as…"))
        self.save_button.setObjectName("infoFileSave")
        self.save_button.clicked.connect(lambda: self._current(open_it=False))
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.empty = plain_label("infoFilesEmpty")
        self.empty.setText(self.tr("No files in this chat"))
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        self.body.addWidget(self.empty)
        self.clear()

    def title(self) -> str:
        return self.tr("Files")

    def _look(self, m: Message) -> Look:
        f = m.file
        assert f is not None
        when = date_time_text(m.created_at.astimezone())
        text = f"{someone_elses(f.name)} · {size_words(f.size)}"
        who = someone_elses(m.author.full_name)
        kind = someone_elses(f.content_type)  # checked by the server; a database is not
        tip = f"{someone_elses(f.name)}\n{size_words(f.size)} · {kind}\n{who}, {when}"
        return Look(text, tip)

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.MessageAdded, self._added)

    def show_row(self, row: UserRow) -> None:
        if row.chat_id != self.chat_id:
            self.clear()

    def show_card(self, card: UserCard) -> None:
        self.chat_id = card.row.chat_id or None
        if self.chat_id is not None:
            self.ask(FILES, self.chat_id, SHOWN, done=self._shown)

    def _shown(self, found: list[Message] | None) -> None:
        self._show([m for m in found or () if m.file is not None])

    def _show(self, rows: list[Message]) -> None:
        self.files.set_rows(rows)
        for widget in (self.view, self.open_button, self.save_button):
            widget.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        if rows:
            self.view.setCurrentIndex(self.files.index(0))

    def _added(self, change: ch.MessageAdded) -> None:
        m = change.message
        if change.chat_id != self.chat_id or m.file is None or m.id is None:
            return
        rows = self.files.rows()
        if all(r.id != m.id for r in rows):
            self._show([m, *rows][:SHOWN])

    def _open_index(self, index: QModelIndex | QPersistentModelIndex) -> None:
        m = index.data(ROW)
        if isinstance(m, Message) and m.file is not None:
            self._want(m.file, open_it=True)

    def _current(self, open_it: bool) -> None:
        m = self.view.currentIndex().data(ROW)
        if isinstance(m, Message) and m.file is not None:
            self._want(m.file, open_it)

    def _want(self, file: FileRef, open_it: bool) -> None:
        desk = self.host.desk
        if desk is not None:
            (desk.sig_open_file if open_it else desk.sig_save_file).emit(file)

    def clear(self) -> None:
        self.forget()
        self.chat_id = None
        self._show([])
