"""The window's menu (LineDesk: Settings…, My profile…) and what opens from it: the Settings
dialog (ui/settings/dialog.py, every registered page) and the profile (ui/settings/profile.py).
A part of the window (ui/mainwindow/window.py); a settings file that could not be used as it
was is said in the status bar once signed in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QMainWindow

    from app.core import changes as ch
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.desk import Desk
    from ui.mainwindow.seam import Core
    from ui.settings.dialog import SettingsDialog
    from ui.settings.profile import ProfileDialog


class SettingsFeature(QObject):
    _desk: Desk

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.dialog: SettingsDialog | None = None
        self.profile: ProfileDialog | None = None
        self.damage_note: QLabel | None = None  # in the status bar: the settings file's state

    def complete(self, desk: Desk) -> None:
        from ui.settings import general

        assert general.__name__  # imported: the dialog has the Clients section's pages
        self._desk = desk
        desk.actions.bind(self)
        from PySide6.QtWidgets import QMenu

        bar = self._window.menuBar()
        menu = QMenu(self.tr("&LineDesk"), bar)  # the bar's, as addMenu() makes it
        menu.setObjectName("mainMenu")
        others = bar.actions()  # the program's own menu comes first, whoever added theirs
        if others:
            bar.insertMenu(others[0], menu)
        else:
            bar.addMenu(menu)
        menu.addAction(desk.actions[MainAction.PROFILE])
        menu.addAction(desk.actions[MainAction.SETTINGS])

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.SignedIn, lambda _change: self._say_damage())
        bridge.handle(ch.MeChanged, self._on_me_changed)

    def _on_me_changed(self, change: ch.MeChanged) -> None:
        if self.profile is not None:
            self.profile.show_me(change.me)

    def attach(self, workplace: Core) -> None:
        self._say_damage()

    def _say_damage(self) -> None:
        from ui.settings.dialog import damage_text

        settings = getattr(self._desk.workplace, "settings", None)
        damaged = getattr(settings, "damaged", "")
        if damaged and self.damage_note is None:
            from PySide6.QtWidgets import QLabel

            self.damage_note = QLabel(damage_text(damaged))
            self.damage_note.setObjectName("settingsDamaged")
            self._window.statusBar().addWidget(self.damage_note)

    @add_action(
        MainAction.SETTINGS,
        text=QT_TRANSLATE_NOOP("Actions", "Settings…"),
        shortcut=QT_TRANSLATE_NOOP("Actions", "Ctrl+,"),
    )
    def open_settings(self) -> None:
        self.show_settings()

    def show_settings(self, page: str = "") -> SettingsDialog:
        """The Settings dialog (made anew each time: pages show the settings as they are),
        at `page` (a registered title, untranslated) when given."""
        from ui.settings.dialog import SettingsDialog

        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = SettingsDialog(self._desk, self._window)
        if page:
            self.dialog.show_page(page)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    @add_action(MainAction.PROFILE, text=QT_TRANSLATE_NOOP("Actions", "My profile…"))
    def open_profile(self) -> None:
        from ui.settings.profile import ProfileDialog

        if self.profile is not None:
            self.profile.close()
            self.profile.deleteLater()
        self.profile = ProfileDialog(self._desk, self._window)
        self.profile.show()
        self.profile.raise_()
