"""Make docs/screenshot.png: the demo window under Xvfb (real fonts, the xcb platform).

    .venv/bin/python -m tests.window.screenshot [--lang ru|en] [OUTPUT]

Starts `Xvfb -displayfd`, runs the program in demo mode (Russian, or English with
``--lang en``) on that display in a child process, opens the chat at the top of the list,
grabs the window, stops Xvfb by PID.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "docs" / "screenshot.png"


def _child(out: Path) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    app.setFont(app.font())
    state: dict[str, Any] = {"step": 0, "ticks": 0}

    def poll() -> None:
        w = polled_window(state, 600, "screenshot")
        if w is None:
            return
        if state["step"] < 2:
            open_line_user(w, state, 1)
        elif (
            state["step"] == 2
            and w.chat_model.rowCount() > 0
            and w.info_panel.values["local_time"].text()
        ):
            state["step"] = 3
            QTimer.singleShot(1500, lambda: shoot(w))

    def shoot(w) -> None:  # type: ignore[no-untyped-def]
        out.parent.mkdir(parents=True, exist_ok=True)
        w.grab().save(str(out))
        print(f"screenshot: {out}")
        w.close()

    return run_demo(poll)


# ---------------------------------------------------------------- shared by the shots' polls

DEMO_LINE = "Техподдержка"


def polled_window(state: dict[str, Any], limit: int, who: str) -> Any:
    """A poll's start: ``state["ticks"]`` counted, the main window once its workplace is up
    (else None). Past ``limit`` polls the program ends (None), ``who`` telling stderr at
    which ``state["step"]`` it timed out — also when the window or its workplace never
    came (the demo server did not start: the parent would wait for its own time limit)."""
    from PySide6.QtWidgets import QApplication

    state["ticks"] += 1
    w = next((t for t in QApplication.topLevelWidgets() if t.objectName() == "mainWindow"), None)
    if state["ticks"] > limit:
        came = "no window" if w is None else "no workplace" if w.workplace is None else ""
        print(f"{who}: timed out at step {state['step']} {came}".rstrip(), file=sys.stderr)
        if w is not None:
            w.close()
        QApplication.exit(1)
        return None
    if w is None or w.workplace is None:
        return None
    return w


def choose_demo_line(w: Any) -> Any:
    """The demo's line «Техподдержка» chosen as the line box's click does; its id."""
    line = w.line_combo.findText(DEMO_LINE)
    if line >= 0 and w.line_combo.currentIndex() != line:
        w.line_combo.setCurrentIndex(line)
        w.line_combo.activated.emit(line)
    return w.line_combo.itemData(line)


def open_user_row(w: Any, row: int) -> None:
    """The chat of the users list's ``row`` opened, as a click on it does."""
    w.users_view.setCurrentIndex(w.users_model.index(row, 0))
    w.users_view.setFocus()


def open_line_user(w: Any, state: dict[str, Any], row: int) -> None:
    """Steps 0 and 1 of a poll: the demo's line chosen once the list has rows, then, once the
    list shows that line, the chat of its ``row`` opened; ``state["step"]`` is then 2."""
    shown = w.users_model.rowCount() > 5
    if state["step"] == 0 and shown:
        state["line"] = choose_demo_line(w)
        state["step"] = 1
    elif state["step"] == 1 and shown and w.workplace.users.line_id == state["line"]:
        open_user_row(w, row)
        state["step"] = 2


def run_demo(poll: Callable[[], None]) -> int:
    """The program in demo mode (in this QApplication), ``poll`` called every 50 ms."""
    from PySide6.QtCore import QTimer

    import ui.main

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(50)
    # its own data and config dirs: neither the user's cache nor their kept window place
    args = types.SimpleNamespace(
        server=None, demo=True, data_dir=tempfile.mkdtemp(), config_dir=tempfile.mkdtemp()
    )
    return int(ui.main.run(args))


LOCALES = {"ru": "ru_RU.UTF-8", "en": "en_US.UTF-8"}


def main(argv: list[str]) -> int:
    lang = "ru"
    if argv[:1] == ["--lang"] and len(argv) > 1 and argv[1] in LOCALES:
        lang, argv = argv[1], argv[2:]
    out = Path(argv[0]).resolve() if argv else DEFAULT_OUT
    return under_xvfb([sys.executable, "-m", "tests.window.screenshot", "--child", str(out)], lang)


def under_xvfb(argv: list[str], lang: str = "ru") -> int:
    """Run ``argv`` (a child that shows the demo window) on a fresh Xvfb display, the
    interface in ``lang`` (``LINEDESK_LANG`` and the locale's ``LANG``/``LC_ALL``)."""
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as f:
            display = f.readline().strip()
        env = dict(os.environ)
        env.update(
            DISPLAY=f":{display}",
            QT_QPA_PLATFORM="xcb",
            LINEDESK_LANG=lang,
            LANG=LOCALES[lang],
            LC_ALL=LOCALES[lang],
            PYSIDE6_OPTION_PYTHON_ENUM="0x11",
        )
        env.pop("WAYLAND_DISPLAY", None)
        child = subprocess.run(
            argv,
            env=env,
            cwd=ROOT,
            timeout=300,
            check=False,
        )
        return child.returncode
    finally:
        xvfb.terminate()
        xvfb.wait(10)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        raise SystemExit(_child(Path(sys.argv[2])))
    raise SystemExit(main(sys.argv[1:]))
