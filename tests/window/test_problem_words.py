"""A problem is said in the specialist's language: the server explains in English whatever
the interface speaks, so a generic failure (the server failed, the server is unreachable)
shows only our own words; the log keeps the server's (and the connection's) explanation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from PySide6.QtCore import Qt

from tests.window.conftest import WINDOW_MARKS, run_async
from tests.window.test_actions import shown
from tests.window.test_window import Shown

pytestmark = WINDOW_MARKS
__all__ = ["shown"]
LATIN = re.compile("[A-Za-z]")


@pytest.fixture
def failing_server(qtbot: Any, aloop: Any) -> Iterator[str]:
    """A server that answers every request as the real one answers a failure it did not
    expect: 500, problem+json, "the server failed" (server/core/problems.py)."""
    from server.core.problems import Problem

    async def fail(request: web.Request) -> web.Response:
        return Problem(500, "internal", "Internal error", "the server failed").response()

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", fail)
    runner = web.AppRunner(app)
    run_async(qtbot, runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    run_async(qtbot, site.start())
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    run_async(qtbot, runner.cleanup())


def test_a_server_failure_is_said_in_russian_only(
    russian: None, shown: Shown, qtbot: Any, failing_server: str
) -> None:
    from app.core.problems import ProblemCode
    from ui.common.problem_texts import problem_text

    w = shown.window
    line_id = shown.pick_line()
    user = shown.without_ticket(line_id)[-3]
    shown.open_user(user["id"])
    qtbot.waitUntil(w.start_button.isVisible, timeout=15_000)
    banner = w.chat.banner
    said: list[str] = []  # every text the banner showed, in order
    show_problem = banner.show_problem

    def shown_problem(text: str, detail: str = "") -> None:
        said.append(text)
        show_problem(text, detail)

    banner.show_problem = shown_problem  # type: ignore[method-assign]
    api = shown.wp.api
    real = api.server_url
    for there, code in (
        (failing_server, ProblemCode.SERVER_ERROR),
        ("http://127.0.0.1:9", ProblemCode.UNREACHABLE),  # nothing listens there
    ):
        # (the info panel's lists, asked for while the failing server stood in, may fail
        # after the click: each failure is said too, so the click's own words are waited for
        # among all the banner said, and none of them may be the server's English)
        api.server_url = there
        try:
            qtbot.mouseClick(w.start_button, Qt.MouseButton.LeftButton)
            words = problem_text(code)
            qtbot.waitUntil(lambda: words in said, timeout=15_000)  # noqa: B023 (this turn's)
        finally:
            api.server_url = real
        assert LATIN.search(problem_text(code)) is None  # (the words are translated)
        assert banner.isVisible()
    known = {problem_text(c) for c in (ProblemCode.SERVER_ERROR, ProblemCode.UNREACHABLE)}
    assert set(said) <= known, said  # "the server failed" is for the log
