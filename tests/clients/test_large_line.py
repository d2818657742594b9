"""The streaming line at 100 000 users (the large seed), through the real window against the
real server, as a specialist meets it: the list shows the users active lately and says how
many it leaves out; a user it does not hold is found by search and added to my list; ×
brings the list back exactly as it was, with that user now in it; the filter narrows both
the streaming view and a search over the whole line. (The same line's figures:
tests/benchmarks/bench_filter.py, bench_info.py.)

The seed is the benchmarks' cached large SQLite seed (tests/benchmarks/results/, made once,
≈35 s, then reused while the schema is the same), copied for the test's own server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.core.domain import ConnectionState
from tests.benchmarks.server_processes import cached_sqlite_seed
from tests.clients.test_filter import tick
from tests.clients.test_users_list import Desk
from tests.conftest import ServerProcess
from tests.window.conftest import WINDOW_MARKS, Api, run_async, window_on
from ui.clients.company_picker import COMPANY_ID_ROLE
from ui.mainwindow.actions import MainAction

pytestmark = [*WINDOW_MARKS, pytest.mark.clients]

LARGE_LINE = "Нагрузочная линия"
QUERY = "load"  # in every load user's login (load000001…): a search over the whole line
LOADED = 120_000  # ms: the line's 100 000 ids and marks, on a loaded machine


@pytest.fixture(scope="module")
def large_seed() -> Path:
    return cached_sqlite_seed()


@pytest.fixture
def server(large_seed: Path, tmp_path: Path) -> Iterator[ServerProcess]:
    """The real server on a copy of the large seed (live_server takes this one)."""
    db = tmp_path / "large.sqlite"
    shutil.copyfile(large_seed, db)
    process = ServerProcess(f"sqlite:///{db}", tmp_path / "files")
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def desk(qtbot: Any, live_server: Any, make_workplace: Any) -> Iterator[Desk]:
    wp = make_workplace("demo")
    with window_on(qtbot, wp) as window:
        assert run_async(qtbot, wp.sign_in(live_server.url, "demo", "demo", False), 60_000)
        qtbot.waitUntil(
            lambda: window.connection.state is ConnectionState.CONNECTED, timeout=30_000
        )
        yield Desk(qtbot, window, wp, Api(live_server.url).login("demo"), live_server.url)


def open_large_line(desk: Desk) -> Any:
    line = next(ln for ln in desk.wp.lines if ln.name == LARGE_LINE)
    assert line.streaming and line.user_count >= 100_000
    desk.pick_line(line.name, wait_rows=False)
    desk.qtbot.waitUntil(
        lambda: (
            desk.wp.users.line_id == line.id
            and desk.wp.users.complete
            and len(desk.wp.users) == line.user_count
        ),
        timeout=LOADED,
    )
    desk.qtbot.waitUntil(desk.window.users.streaming_note.isVisible, timeout=10_000)
    return line


def test_a_user_found_among_100_000_is_added_and_x_brings_the_list_back(
    desk: Desk, qtbot: Any
) -> None:
    w = desk.window
    line = open_large_line(desk)
    before = list(w.users_model.ids())
    hidden = line.user_count - len(before)
    assert 0 < len(before) < 1_000 and hidden > 99_000
    assert f"Streaming mode: {hidden} users" in w.users.streaming_note.text()
    # a user the window holds no row of, far down the line: found by their login
    absent = next(i for i in reversed(desk.wp.users.matching(QUERY)) if i not in set(before))
    with pytest.raises(KeyError):
        desk.wp.users.row(absent)
    login = desk.api.call("GET", f"/lines/{line.id}/rows?ids={absent}")["items"][0]["login"]
    desk.type_search(login)
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == [absent], timeout=10_000)
    qtbot.waitUntil(lambda: desk.row_of(absent).data() not in (None, ""), timeout=10_000)
    assert not w.users.streaming_note.isVisible()  # a search shows every hit
    w.users_view.setCurrentIndex(desk.row_of(absent))
    qtbot.waitUntil(lambda: w.desk.user_id == absent)
    add = w.commands[MainAction.ADD_TO_MY_LIST]
    qtbot.waitUntil(add.isEnabled, timeout=10_000)
    assert add.text() == "Add to my list"
    add.trigger()
    qtbot.waitUntil(
        lambda: desk.api.call("GET", f"/lines/{line.id}/my-list")["ids"] == [absent],
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: absent in desk.wp.users.pinned, timeout=10_000)
    # × : exactly the list as it was, and the user I added shows in it
    qtbot.keyClick(w.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: absent in w.users_model.ids(), timeout=10_000)
    after = list(w.users_model.ids())
    assert [i for i in after if i != absent] == before
    qtbot.waitUntil(w.users.streaming_note.isVisible)
    assert f"Streaming mode: {hidden - 1} users" in w.users.streaming_note.text()
    assert not w.search.text()


def test_the_filter_on_the_100_000_user_line(desk: Desk, qtbot: Any) -> None:
    w = desk.window
    line = open_large_line(desk)
    shown = list(w.users_model.ids())
    d = desk.api.call("GET", f"/lines/{line.id}/directory")
    company = dict(zip(d["ids"], d["company_ids"], strict=True))
    # the company of a user of the streaming view: the view narrowed to that company's
    someone = next(i for i in shown if company[i])
    w.users_view.setCurrentIndex(desk.row_of(someone))
    qtbot.waitUntil(lambda: w.desk.user_id == someone)
    tick(desk, "company")  # the picker opens on the chosen user's company: Enter takes it
    picker = w.users.filter.picker
    assert picker is not None
    qtbot.waitUntil(lambda: picker.ok.isEnabled(), timeout=10_000)
    assert picker.view.currentIndex().data(COMPANY_ID_ROLE) == company[someone]
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    expected = [i for i in shown if company[i] == company[someone]]
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == expected, timeout=10_000)
    qtbot.waitUntil(w.users.filter_note.isVisible)
    assert w.users.filter_button.isChecked()
    assert not w.users.streaming_note.isVisible()  # the note is the unfiltered list's
    # a search over the whole line with the filter on: every user of the line in it
    desk.type_search(QUERY)
    matching = set(desk.wp.users.matching(QUERY))
    assert len(matching) > 90_000
    theirs = {i for i in matching if company[i] == company[someone]}
    qtbot.waitUntil(lambda: set(w.users_model.ids()) == theirs, timeout=10_000)
    assert len(theirs) > len(expected)
    # x, then one click on the note: the streaming view exactly as it was
    qtbot.keyClick(w.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == expected, timeout=10_000)
    qtbot.mouseClick(w.users.filter_note, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == shown, timeout=10_000)
    qtbot.waitUntil(w.users.streaming_note.isVisible)
    assert desk.wp.settings.user_filters == {}
