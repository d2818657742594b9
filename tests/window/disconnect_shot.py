"""The child of test_disconnect_window.py's screenshot test, under Xvfb: the program in demo
mode (Russian), the line «Техподдержка» with two of its users disconnected; the chat of one
open. Saves the window and the users list, and what it found.

    python -m tests.window.disconnect_shot OUT_DIR
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

REASONS = (
    "Повторное нарушение делового стиля общения после предупреждения",
    "Оскорбления в чате после предупреждения",
)


def main(out: Path) -> int:
    os.environ["LINEDESK_LANG"] = "ru"
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from app.disconnect.part import DISCONNECT
    from tests.window.screenshot import choose_demo_line, open_user_row, polled_window, run_demo
    from ui.common.roles import ROW_ROLE

    _app = QApplication([sys.argv[0]])  # the program runs in it (run_demo)
    state: dict[str, Any] = {"step": 0, "ticks": 0, "users": []}

    def rows(w: Any) -> list[Any]:
        model = w.users_model
        return [model.index(r, 0).data(ROW_ROLE) for r in range(model.rowCount())]

    def poll() -> None:
        w = polled_window(state, 1200, "disconnect_shot")
        if w is None:
            return
        wp = w.workplace
        if state["step"] == 0 and w.users_model.rowCount() > 5:
            state["line"] = choose_demo_line(w)
            state["step"] = 1
        elif state["step"] == 1 and wp.users.line_id == state["line"] and len(rows(w)) > 6:
            clients = [r for r in rows(w)[:8] if r is not None and not r.colleague]
            state["users"] = [clients[1].id, clients[3].id]
            for user_id, reason in zip(state["users"], REASONS, strict=True):
                w.desk.spawn(wp.act(DISCONNECT, user_id, reason))
            state["step"] = 2
        elif state["step"] == 2 and all(
            wp.users.get(u) is not None and wp.users.get(u).disconnected for u in state["users"]
        ):
            open_user_row(w, w.users_model.position(state["users"][0]))
            state["step"] = 3
        elif (
            state["step"] == 3
            and w.chat_model.rowCount() > 0
            and w.info_panel.sections["disconnected"].isVisible()
            and w.info_panel.values["local_time"].text()
        ):
            state["step"] = 4
            QTimer.singleShot(1500, lambda: shoot(w))

    def shoot(w: Any) -> None:
        out.mkdir(parents=True, exist_ok=True)
        w.grab().save(str(out / "disconnected-window.png"))
        w.users_view.grab().save(str(out / "disconnected-list.png"))
        result = {
            "platform": QGuiApplication.platformName(),
            "label": w.disconnection.label.text(),
            "placeholder": w.composer.placeholderText(),
            "read_only": w.composer.isReadOnly(),
            "restore": w.info_panel.sections["disconnected"].restore.text(),
            "users": state["users"],
        }
        (out / "result.json").write_text(json.dumps(result, ensure_ascii=False))
        w.close()

    return run_demo(poll)


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
