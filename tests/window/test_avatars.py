"""Users' photos in the real window against the real server: the list paints the photo (else
the initials), the info panel shows it, a new photo arrives live on its row alone, and bytes
that are no picture leave the initials."""

from __future__ import annotations

import hashlib
import os
import signal
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QModelIndex, QPoint, Qt
from PySide6.QtGui import QColor, QImage

from app.core.domain import ConnectionState
from app.net.api import normalize_url
from tests.window import test_window as window_tests
from tests.window.conftest import WINDOW_MARKS, Api, run_async, window_on
from ui.clients.users_delegate import AVATAR, PAD
from ui.mainwindow.status import avatar_color
from ui.mainwindow.window import MainWindow

pytestmark = [*WINDOW_MARKS, pytest.mark.clients]

LINE = window_tests.LINE
# points inside the avatar circle (fractions of its side), clear of the status dot and,
# for the initials, of their letters
PHOTO_POINTS = ((0.5, 0.2), (0.25, 0.45), (0.5, 0.5), (0.7, 0.35), (0.4, 0.75))
RIM_POINTS = ((0.5, 0.1), (0.2, 0.3), (0.15, 0.6))
TOLERANCE = 28


def png(color: str, side: int = 64) -> bytes:
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def put_avatar(api: Api, data: bytes, content_type: str = "image/png") -> Any:
    request = urllib.request.Request(api.url + "/api/v1/me/avatar", data=data, method="PUT")
    request.add_header("Content-Type", content_type)
    request.add_header("Authorization", f"Bearer {api.token}")
    with urllib.request.urlopen(request, timeout=10) as reply:
        return reply.status


def get_bytes(api: Api, url: str) -> bytes:
    request = urllib.request.Request(api.url + url)
    request.add_header("Authorization", f"Bearer {api.token}")
    with urllib.request.urlopen(request, timeout=10) as reply:
        data: bytes = reply.read()
        return data


def close(a: QColor, b: QColor, tolerance: int = TOLERANCE) -> bool:
    return (
        abs(a.red() - b.red()) <= tolerance
        and abs(a.green() - b.green()) <= tolerance
        and abs(a.blue() - b.blue()) <= tolerance
    )


def expected_photo(data: bytes, side: int) -> QImage:
    """What the photo should look like at `side` px: centred square, scaled (the test's own)."""
    image = QImage.fromData(data)
    assert not image.isNull()
    square = min(image.width(), image.height())
    return image.copy(
        (image.width() - square) // 2, (image.height() - square) // 2, square, square
    ).scaled(
        side, side, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


class Shown(window_tests.Shown):
    """tests/window/test_window.py's driver, signed in later, with the photos' own looks."""

    def __init__(self, qtbot: Any, window: MainWindow, wp: Any, url: str) -> None:
        super().__init__(qtbot, window, wp, Api(url).login("demo"))
        self.url = url

    def sign_in(self) -> None:
        assert run_async(self.qtbot, self.wp.sign_in(self.url, "demo", "demo", False))
        self.qtbot.waitUntil(
            lambda: self.window.connection.state is ConnectionState.CONNECTED, timeout=15_000
        )

    def line_users(self, name: str = LINE) -> tuple[int, list[dict[str, Any]]]:
        line = next(ln for ln in self.api.call("GET", "/lines")["items"] if ln["name"] == name)
        items = self.api.call("GET", f"/lines/{line['id']}/users?limit=500")["items"]
        return int(line["id"]), items

    def index_of(self, user_id: int) -> QModelIndex:
        w = self.window
        pos = w.users_model.position(user_id)
        assert pos >= 0
        return w.users_model.index(pos, 0)

    def show_row(self, user_id: int) -> None:
        self.window.users_view.scrollTo(self.index_of(user_id))

    def avatar_pixels(self, user_id: int, points: tuple[tuple[float, float], ...]) -> list[QColor]:
        """The list's pixels at `points` of the user's avatar circle, as painted now."""
        view = self.window.users_view
        rect = view.visualRect(self.index_of(user_id))
        image = view.viewport().grab().toImage()
        top = rect.top() + (rect.height() - AVATAR) // 2
        left = rect.left() + PAD
        return [
            image.pixelColor(QPoint(round(left + fx * AVATAR), round(top + fy * AVATAR)))
            for fx, fy in points
        ]

    def initials_shown(self, user: dict[str, Any]) -> bool:
        """The user's avatar in the list is the initials' circle on their name's colour."""
        want = avatar_color(user["full_name"])
        return all(close(c, want, 6) for c in self.avatar_pixels(user["id"], RIM_POINTS))

    def photo_shown(self, user_id: int, url: str) -> bool:
        w = self.window
        dpr = w.users_view.viewport().devicePixelRatioF()
        return w.avatars.pixmap(url, AVATAR, dpr) is not None


@pytest.fixture
def shown(qtbot: Any, live_server: Any, make_workplace: Any) -> Iterator[Shown]:
    wp = make_workplace("demo")
    with window_on(qtbot, wp) as window:
        yield Shown(qtbot, window, wp, live_server.url)


def test_photos_in_the_list_and_the_info_panel_initials_without(shown: Shown, qtbot: Any) -> None:
    w = shown.window
    _, users = shown.line_users()
    with_photo = [u for u in users if u["avatar_url"]]
    without = [u for u in users if not u["avatar_url"]]
    assert with_photo and without, "the demo seed gives about a third of the users a photo"
    shown.sign_in()
    asked: list[tuple[int | None, int]] = []  # (the list's line, user) as painted
    ask = w.avatars.request
    w.avatars.request = lambda url, user_id: (
        asked.append((shown.wp.users.line_id, user_id)),
        ask(url, user_id),
    )[1]
    line_id = shown.pick_line()
    resets: list[int] = []
    w.users_model.modelReset.connect(lambda: resets.append(1))
    changed_rows: list[tuple[int, int]] = []
    w.users_model.dataChanged.connect(
        lambda a, b, _roles=(): changed_rows.append((a.row(), b.row()))
    )

    # only the rows in view ask for their photos; rows never shown fetch nothing
    viewport = w.users_view.viewport().rect()

    def in_view(user_id: int) -> bool:
        return w.users_view.visualRect(shown.index_of(user_id)).intersects(viewport)

    visible = [u for u in with_photo if in_view(u["id"])]
    assert visible, "some users with a photo are at the top of the list"
    qtbot.waitUntil(
        lambda: all(shown.photo_shown(u["id"], u["avatar_url"]) for u in visible),
        timeout=15_000,
    )
    asked_here = {uid for line, uid in asked if line == line_id}
    assert asked_here and all(in_view(uid) for uid in asked_here)
    hidden = [u for u in with_photo if not in_view(u["id"])]
    assert hidden, "some users with a photo are below the fold"
    assert not {u["id"] for u in hidden} & asked_here
    assert resets == []

    user = with_photo[0]
    shown.show_row(user["id"])
    qtbot.waitUntil(lambda: shown.photo_shown(user["id"], user["avatar_url"]), timeout=15_000)
    # only rows changed (one at a time), never the whole model
    assert resets == []
    assert all(a == b for a, b in changed_rows)
    data = get_bytes(shown.api, user["avatar_url"])
    expected = expected_photo(data, AVATAR)

    def painted_photo() -> bool:
        got = shown.avatar_pixels(user["id"], PHOTO_POINTS)
        want = [
            expected.pixelColor(QPoint(round(fx * AVATAR), round(fy * AVATAR)))
            for fx, fy in PHOTO_POINTS
        ]
        return all(close(g, e) for g, e in zip(got, want, strict=True))

    qtbot.waitUntil(painted_photo, timeout=15_000)
    # the photo is not the initials' colour
    name_color = avatar_color(user["full_name"])
    rim = shown.avatar_pixels(user["id"], RIM_POINTS)
    want_rim = [
        expected.pixelColor(QPoint(round(fx * AVATAR), round(fy * AVATAR))) for fx, fy in RIM_POINTS
    ]
    assert all(close(g, e) for g, e in zip(rim, want_rim, strict=True))
    if not all(close(e, name_color) for e in want_rim):
        assert not all(close(g, name_color) for g in rim)

    # a user without a photo: the initials on the name's colour
    plain = without[0]
    shown.show_row(plain["id"])
    qtbot.waitUntil(lambda: shown.initials_shown(plain), timeout=15_000)

    # the info panel: the photo at its top for the selected user
    from ui.side.info_panel import PHOTO

    shown.open_user(user["id"])
    qtbot.waitUntil(lambda: w.info_panel.photo_shown, timeout=15_000)
    assert w.info_panel.photo.isVisible()
    big = expected_photo(data, PHOTO)
    label = w.info_panel.photo.pixmap().toImage()
    scale = label.width() / PHOTO
    for fx, fy in PHOTO_POINTS:
        got = label.pixelColor(QPoint(round(fx * PHOTO * scale), round(fy * PHOTO * scale)))
        assert close(got, big.pixelColor(QPoint(round(fx * PHOTO), round(fy * PHOTO))))
    # …and the initials for a user without one
    shown.open_user(plain["id"])
    assert not w.info_panel.photo_shown
    label = w.info_panel.photo.pixmap().toImage()
    scale = label.width() / PHOTO
    assert close(
        label.pixelColor(QPoint(round(0.5 * PHOTO * scale), round(0.1 * PHOTO * scale))),
        avatar_color(plain["full_name"]),
        6,
    )
    assert resets == []


def test_a_new_photo_arrives_live_on_its_row_alone(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    _, users = shown.line_users()
    user = next(u for u in users if not u["colleague"] and not u["avatar_url"])
    shown.sign_in()
    shown.pick_line()
    shown.show_row(user["id"])
    shown.open_user(user["id"])
    qtbot.waitUntil(lambda: shown.initials_shown(user), timeout=15_000)
    resets: list[int] = []
    w.users_model.modelReset.connect(lambda: resets.append(1))
    row = w.users_model.position(user["id"])
    changed_rows: list[tuple[int, int]] = []
    w.users_model.dataChanged.connect(
        lambda a, b, _roles=(): changed_rows.append((a.row(), b.row()))
    )

    magenta = QColor("#ff00ff")
    client = Api(live_server.url).login(user["login"])
    put_avatar(client, png("#ff00ff"))
    qtbot.waitUntil(
        lambda: (r := shown.wp.users.get(user["id"])) is not None and bool(r.avatar_url),
        timeout=15_000,
    )
    qtbot.waitUntil(
        lambda: all(close(c, magenta) for c in shown.avatar_pixels(user["id"], PHOTO_POINTS)),
        timeout=15_000,
    )
    assert resets == []
    assert (row, row) in changed_rows and all(a == b for a, b in changed_rows)
    # the info panel of the selected user follows
    qtbot.waitUntil(lambda: w.info_panel.photo_shown, timeout=10_000)
    label = w.info_panel.photo.pixmap().toImage()
    assert close(label.pixelColor(label.width() // 2, label.height() // 2), magenta)

    # another picture: a new url, shown again live
    put_avatar(client, png("#00c0ff"))
    qtbot.waitUntil(
        lambda: all(
            close(c, QColor("#00c0ff")) for c in shown.avatar_pixels(user["id"], PHOTO_POINTS)
        ),
        timeout=15_000,
    )
    assert resets == []


def test_photos_of_rows_scrolled_past_stop_loading(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    """The server answers nothing for a while (the real process, stopped with SIGSTOP) while
    the specialist scrolls down past rows with photos: once the list rests, only the rows on
    screen still wait for theirs, and they get them first when the server is back."""
    w = shown.window
    _, users = shown.line_users()
    photo = {u["id"]: u["avatar_url"] for u in users if u["avatar_url"]}
    shown.sign_in()
    shown.pick_line()
    model = w.users_model
    assert model.rowCount() >= 30, "the demo line is long enough to scroll"
    top = {model.user_id_at(r) for r in w.rows_on_screen()}
    qtbot.waitUntil(
        lambda: all(shown.photo_shown(i, photo[i]) for i in top if i in photo), timeout=15_000
    )
    os.kill(live_server.process.pid, signal.SIGSTOP)
    try:
        passed: set[int] = set()
        bar = w.users_view.verticalScrollBar()
        while bar.value() < bar.maximum():  # page by page, each page painted
            bar.setValue(min(bar.maximum(), bar.value() + w.users_view.viewport().height()))
            w.users_view.viewport().repaint()
            passed |= {i for r in w.rows_on_screen() if (i := model.user_id_at(r)) in photo}
        bottom = {i for r in w.rows_on_screen() if (i := model.user_id_at(r)) in photo}
        passed -= bottom | top
        assert passed and bottom, "photos above the bottom page and on it"
        waiting = lambda: {i for ids in w.avatars._waiting.values() for i in ids}  # noqa: E731
        assert waiting() & passed, "rows scrolled past asked for their photos"
        qtbot.waitUntil(lambda: not waiting() & passed, timeout=5_000)  # the list rested
        assert waiting() <= bottom | {shown.window._selected_user}
        passed_keys = {shown.wp.avatars.key(photo[i]) for i in passed}
        # the core drops them as the cancellations reach it (a loop turn or a few later)
        qtbot.waitUntil(lambda: not set(shown.wp.avatars._in_flight) & passed_keys, timeout=5_000)
    finally:
        os.kill(live_server.process.pid, signal.SIGCONT)
    qtbot.waitUntil(lambda: all(shown.photo_shown(i, photo[i]) for i in bottom), timeout=15_000)
    assert not any(shown.photo_shown(i, photo[i]) for i in passed)


def test_bytes_that_are_no_picture_leave_the_initials(
    shown: Shown, qtbot: Any, tmp_path: Path
) -> None:
    w = shown.window
    _, users = shown.line_users()
    with_photo = [u for u in users if u["avatar_url"]]
    assert with_photo
    # the local cache holds garbage for every photo of the line (as a broken disk might)
    from app.clients.avatars import DiskCache

    server_key = normalize_url(shown.url)
    disk = DiskCache(shown.wp.data_dir / "avatars")
    for u in with_photo:
        key = hashlib.sha256(f"{server_key}\n{u['avatar_url']}".encode()).hexdigest()
        disk.put(key, b"\x89PNG\r\n\x1a\n but then nothing of a picture")
    shown.sign_in()
    shown.pick_line()
    user = with_photo[0]
    shown.show_row(user["id"])
    qtbot.waitUntil(lambda: w.avatars.decode_failures >= 1, timeout=15_000)
    assert w.avatars.failed(user["avatar_url"])
    qtbot.wait(100)
    assert all(
        close(c, avatar_color(user["full_name"]), 6)
        for c in shown.avatar_pixels(user["id"], RIM_POINTS)
    )
    failures = w.avatars.decode_failures
    fetches = shown.wp.avatars.fetches
    # repainting does not ask again
    for _ in range(3):
        w.users_view.viewport().repaint()
        qtbot.wait(20)
    assert w.avatars.decode_failures == failures
    assert shown.wp.avatars.fetches == fetches
    shown.open_user(user["id"])
    assert not w.info_panel.photo_shown


def test_the_store_keeps_a_bounded_lru_and_refuses_what_is_no_picture(qapp: Any) -> None:
    from ui.clients.avatars import AvatarStore, decode

    store = AvatarStore(max_pixmaps=3)
    for size in (20, 40):
        assert store.pixmap("/u/0", size) is None  # the sizes painted so far
    assert store.add("/u/0", png("#123456"))
    assert store.pixmap("/u/0", 20) is not None and store.pixmap("/u/0", 40) is not None
    assert store.add("/u/1", png("#654321"))  # two more: the oldest of /u/0 goes
    assert len(store) == 3
    assert store.pixmap("/u/1", 40) is not None
    # not a picture, nothing, a picture claiming an absurd size: no photo, no exception
    assert not store.add("/u/2", b"<html>not found</html>")
    assert not store.add("/u/3", None)
    huge = bytearray(png("#000000", 16))
    huge[16:24] = (100_000).to_bytes(4, "big") * 2  # IHDR width and height
    assert decode(bytes(huge)) is None
    assert store.decode_failures == 1
    assert store.pixmap("/u/2", 40) is None and len(store) == 3
    # a fetch is never started without a Workplace
    store.request("/u/4", 1)
    assert not store.failed("/u/4")
