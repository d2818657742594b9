"""A walk through the window as a specialist would take it, a screenshot at each stop:
the demo under Xvfb (``tests.window.screenshot.under_xvfb``), the chat of the line
«Техподдержка»'s second user, then each command of the function bar, the menus, the tray's
menu. Saves ``NN-name.png`` per stop and ``texts.json``: every text the window's own widgets
showed there (what a review of a translation reads).

    .venv/bin/python -m tests.window.tour_shot [--lang ru|en] OUT_DIR
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

STOPS = (
    "TRANSFER_TICKET",
    "COMMENT_TICKET",
    "QUICK_REPLY",
    "ONLINE_MONITOR",
    "GROUP",
    "DIAL",
    "DISCONNECT_USER",
    "SETTINGS",
    "PROFILE",
    "FINISH_TICKET",
    "CONNECT_REMOTE",
    "CALL_USER",
)


def widget_texts(root: Any) -> list[str]:
    """The texts `root` and its children show: labels, buttons, titles, tips, items."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QWidget

    found: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisibleTo(root) and w is not root:
            continue
        found += [w.windowTitle(), w.toolTip()]
        if isinstance(w, (QLabel, QAbstractButton)):
            found.append(w.text())
        if isinstance(w, QLineEdit):
            found += [w.placeholderText()]
        if isinstance(w, QComboBox):
            found += [w.itemText(i) for i in range(w.count())]
        for a in w.actions():
            if isinstance(a, QAction):
                found += [a.text(), a.toolTip()]
    return [t for t in found if t]


def child(out: Path) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QMenu

    from tests.window.screenshot import open_line_user, polled_window, run_demo
    from ui.mainwindow.actions import MainAction

    app = QApplication([sys.argv[0]])
    out.mkdir(parents=True, exist_ok=True)
    state: dict[str, Any] = {"step": 0, "ticks": 0, "shots": 0, "texts": {}}
    plan: list[Callable[[Any], None]] = []

    def others(w: Any) -> list[Any]:
        return [t for t in app.topLevelWidgets() if t is not w and t.isVisible()]

    def save(widget: Any, name: str) -> None:
        state["shots"] += 1
        path = out / f"{state['shots']:02d}-{name}.png"
        widget.grab().save(str(path))
        state["texts"][path.name] = widget_texts(widget)

    def shoot_all(w: Any, name: str) -> None:
        save(w, name)
        for i, t in enumerate(others(w)):
            save(t, f"{name}-{t.objectName() or type(t).__name__}-{i}")
        for t in others(w):
            if isinstance(t, QDialog):
                t.reject()
            else:
                t.close()

    def command(key: str) -> Callable[[Any], None]:
        def run(w: Any) -> None:
            action = w.commands[MainAction[key]]
            if not action.isEnabled():
                print(f"tour: {key} is disabled here", file=sys.stderr)
            action.trigger()
            QTimer.singleShot(1500, lambda: (shoot_all(w, key.lower()), advance(w)))

        return run

    def menus(w: Any) -> None:
        for i, a in enumerate(w.menuBar().actions()):
            menu = a.menu()
            if isinstance(menu, QMenu):
                menu.adjustSize()
                save(menu, f"menu-{i}")
        w.tray.menu.adjustSize()
        save(w.tray.menu, "tray-menu")
        w.status_menu.adjustSize()
        save(w.status_menu, "status-menu")
        advance(w)

    def settings_pages(w: Any) -> None:
        w.commands[MainAction.SETTINGS].trigger()

        def pages() -> None:
            from PySide6.QtWidgets import QListWidget, QStackedWidget

            for t in others(w):
                stack = t.findChild(QStackedWidget)
                listing = t.findChild(QListWidget)
                if stack is None:
                    continue
                for p in range(stack.count()):
                    if listing is not None and p < listing.count():
                        listing.setCurrentRow(p)
                    stack.setCurrentIndex(p)
                    app.processEvents()
                    save(t, f"settings-page-{p}")
            shoot_all(w, "settings-closed")
            advance(w)

        QTimer.singleShot(1500, pages)

    def start(w: Any) -> None:
        w.commands[MainAction.START_TICKET].trigger()
        QTimer.singleShot(2500, lambda: (save(w, "chat-started"), advance(w)))

    def side(w: Any) -> None:
        from PySide6.QtWidgets import QScrollArea

        for area in w.side.findChildren(QScrollArea):
            area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
        QTimer.singleShot(500, lambda: (save(w.side, "info-panel-end"), advance(w)))

    def search(w: Any) -> None:
        from ui.chat.search import SearchPanel

        w.commands[MainAction.SEARCH_CHAT].trigger()
        panel = w.findChild(SearchPanel)
        panel.field.setText("сервер")
        panel.search()
        QTimer.singleShot(2000, lambda: (save(w, "chat-search"), advance(w)))

    def disconnect(w: Any) -> None:
        w.commands[MainAction.DISCONNECT_USER].trigger()

        def fill() -> None:
            for t in others(w):
                if isinstance(t, QDialog) and hasattr(t, "editor"):
                    t.editor.setPlainText("Оскорбления в чате после предупреждения")
                    t.accept()
            QTimer.singleShot(2500, lambda: (save(w, "disconnected"), advance(w)))

        QTimer.singleShot(1000, fill)

    def restore(w: Any) -> None:
        w.commands[MainAction.RESTORE_USER].trigger()
        QTimer.singleShot(2000, lambda: (save(w, "restored"), advance(w)))

    plan += [start, side, search, menus, settings_pages] + [command(k) for k in STOPS]
    plan += [disconnect, side, restore]

    def advance(w: Any) -> None:
        if plan:
            plan.pop(0)(w)
        else:
            (out / "texts.json").write_text(
                json.dumps(state["texts"], ensure_ascii=False, indent=1), encoding="utf-8"
            )
            print(f"tour: {state['shots']} shots in {out}")
            w.close()

    def poll() -> None:
        w = polled_window(state, 2400, "tour")
        if w is None:
            return
        if state["step"] < 2:
            open_line_user(w, state, 1)
        elif state["step"] == 2 and w.chat_model.rowCount() > 0:
            state["step"] = 3
            QTimer.singleShot(1500, lambda: (save(w, "main"), advance(w)))

    return run_demo(poll)


def main(argv: list[str]) -> int:
    from tests.window.screenshot import under_xvfb

    lang = "ru"
    if argv[:1] == ["--lang"] and len(argv) > 1:
        lang, argv = argv[1], argv[2:]
    out = Path(argv[0] if argv else "/tmp/linedesk-tour").resolve()
    return under_xvfb([sys.executable, "-m", "tests.window.tour_shot", "--child", str(out)], lang)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        raise SystemExit(child(Path(sys.argv[2])))
    raise SystemExit(main(sys.argv[1:]))
