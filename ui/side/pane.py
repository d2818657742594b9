"""The side panel (right): the information panel about the open user — and later what joins
it (the knowledge base…). Shown or hidden by its command (Ctrl+I, the function bar).

Part of the window's first frame as an empty place of the panel's width; `complete(desk)`
puts the panel (ui/side/info_panel.py: it needs the core's types and the photos) in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action

if TYPE_CHECKING:
    from app.core import changes as ch
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.desk import Desk
    from ui.mainwindow.seam import Core
    from ui.side.info_panel import InfoPanel


class SidePane(QWidget):
    info_panel: InfoPanel
    _desk: Desk

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidePane")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def complete(self, desk: Desk) -> None:
        from ui.side.info_panel import InfoPanel

        self._desk = desk
        self.info_panel = InfoPanel()
        self.info_panel.avatars = desk.avatars
        self.info_panel.desk = desk
        self.info_panel.sig_dial.connect(desk.dial)
        self._layout.addWidget(self.info_panel)
        desk.avatars.sig_avatar_ready.connect(self._on_avatar_ready)
        desk.sig_user_opened.connect(self.open_user)
        desk.sig_user_closed.connect(lambda: self.info_panel.show_row(None))
        desk.actions.bind(self)
        self.setVisible(desk.actions[MainAction.TOGGLE_INFO].isChecked())

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.UserChanged, self._on_user_changed)
        bridge.handle(ch.CardLoaded, self._on_card_loaded)
        for section in self.info_panel.sections.values():
            section.listen(bridge)

    def attach(self, workplace: Core) -> None:
        """The sections collapsed as the specialist left them (nothing to show until a user
        is opened)."""
        settings = getattr(workplace, "settings", None)
        if settings is not None:
            self.info_panel.remember(settings)

    @add_action(
        MainAction.TOGGLE_INFO,
        text=QT_TRANSLATE_NOOP("Actions", "Information"),
        tip=QT_TRANSLATE_NOOP("Actions", "Show or hide the information panel"),
        shortcut=QT_TRANSLATE_NOOP("Actions", "Ctrl+I"),
        checkable=True,
        checked=True,
        bar=True,
    )
    def set_shown(self, shown: bool) -> None:
        self.setVisible(shown)

    def open_user(self, user_id: int) -> None:
        """What the list knows of the user at once; their card, asked for, follows."""
        row = self._desk.row(user_id)
        if row is None:
            self.info_panel.show_loading()
        else:
            self.info_panel.show_row(row)
        workplace = self._desk.workplace
        if workplace is not None:
            self._desk.spawn(workplace.load_card(user_id))

    def _on_user_changed(self, change: ch.UserChanged) -> None:
        shown = self.info_panel.shown_row
        if change.row.id == self._desk.user_id and (
            shown is None
            or (shown.id, shown.avatar_url, shown.full_name)
            != (change.row.id, change.row.avatar_url, change.row.full_name)
        ):  # the photo (or the initials) changed: not for each message of theirs
            self.info_panel.show_photo(change.row)

    def _on_card_loaded(self, change: ch.CardLoaded) -> None:
        if change.card.row.id == self._desk.user_id:
            self.info_panel.show_card(change.card)

    def _on_avatar_ready(self, url: str, user_ids: list[int]) -> None:
        """A photo arrived (or failed): the panel shows it if it is the open user's."""
        self.info_panel.avatar_ready(url)
