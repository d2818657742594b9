"""The Workplace against the real ticket server (loopback), with no QApplication: the core's
imports, signing in, the session and its status, what the cache and drafts keep across starts."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from app.core import changes as ch
from app.core.domain import ConnectionState, Delivery, Status
from app.core.problems import ProblemCode
from app.net.api import ApiClient
from app.store.credentials import Credentials
from app.workplace import Workplace
from tests.app.order import on_top
from tests.app.workplaces import (
    Recorder,
    client_api,
    make_workplace,
    open_last_user,
    regular_line,
    until,
    user_writes,
)

pytestmark = pytest.mark.core


def test_the_core_imports_without_qt() -> None:
    code = (
        "import sys, app.workplace, app.net.api, app.net.events, app.store.outbox, "
        "app.store.cache, app.clients.userindex, app.store.settings, app.store.credentials, "
        "app.demo.server, app.core.logs, app.startup, app.__main__; "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt in the core'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_main_imports_nothing_heavy() -> None:
    code = (
        "import sys, app.__main__; "
        "heavy = [m for m in sys.modules "
        "if m.split('.')[0] in ('aiohttp', 'sqlalchemy', 'PySide6')]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_wrong_password_is_a_problem_not_an_exception(live: Any, tmp_path: Path) -> None:
    wp = make_workplace(tmp_path)
    rec = Recorder(wp)
    try:
        assert not await wp.sign_in(live.url, "demo", "wrong", remember=False)
        assert [p.code for p in rec.of(ch.Problem)] == [ProblemCode.WRONG_PASSWORD]
        assert not await wp.sign_in("http://127.0.0.1:9", "demo", "demo", remember=False)
        assert rec.of(ch.Problem)[-1].code == ProblemCode.UNREACHABLE
    finally:
        await wp.close()


async def test_a_message_typed_after_the_session_expired_arrives_after_signing_in_again(
    live: Any, signed_in: tuple[Workplace, Recorder]
) -> None:
    """The server forgets the session (as after expiry): the message waits, the specialist is
    asked to sign in again, and after that it is delivered — once."""
    wp, rec = signed_in
    _, row = await open_last_user(wp)
    assert wp.api is not None and wp.api.token
    revoker = ApiClient(live.url, wp.api.token)
    try:
        await revoker.logout()
    finally:
        await revoker.close()
    msg = wp.send(row.chat_id, "Написано после истечения сессии")
    await until(
        lambda: any(p.code == ProblemCode.SESSION_EXPIRED for p in rec.of(ch.Problem)),
        what="told to sign in again",
    )
    await asyncio.sleep(0.5)
    mine = [m for m in wp.chats[row.chat_id].messages if m.client_msg_id == msg.client_msg_id]
    assert len(mine) == 1 and mine[0].delivery == Delivery.SENDING  # waits, not failed
    assert await wp.sign_in(live.url, "demo", "demo", remember=False)
    await until(
        lambda: any(
            u.message.client_msg_id == msg.client_msg_id and u.message.delivery == Delivery.SENT
            for u in rec.of(ch.MessageUpdated)
        ),
        what="delivered",
    )
    await asyncio.sleep(1.0)  # a second delivery would be in by now
    api = await client_api(live.url, "demo")
    try:
        items, _ = await api.messages(row.chat_id, limit=20)
    finally:
        await api.close()
    assert [m.client_msg_id for m in items].count(msg.client_msg_id) == 1


async def test_status_round_trips_and_idle_away(signed_in: tuple[Workplace, Recorder]) -> None:
    wp, rec = signed_in
    await wp.set_status(Status.BUSY_NEW)
    assert rec.of(ch.StatusChanged)[-1] == ch.StatusChanged(Status.BUSY_NEW, False)
    assert wp.api is not None and (await wp.api.me()).status == Status.BUSY_NEW
    wp.idle_seconds = 0.3
    wp.activity()
    await until(lambda: wp.status == Status.AWAY, what="away")
    assert ch.StatusChanged(Status.AWAY, True) in rec.of(ch.StatusChanged)
    wp.idle_seconds = 60
    wp.activity()
    await until(lambda: wp.status == Status.BUSY_NEW, what="back")
    assert rec.of(ch.StatusChanged)[-1] == ch.StatusChanged(Status.BUSY_NEW, True)
    assert (await wp.api.me()).status == Status.BUSY_NEW
    await wp.set_status(Status.FREE)


async def test_no_automatic_away_on_a_call_or_in_a_remote_session(
    signed_in: tuple[Workplace, Recorder],
) -> None:
    """Talking on the headset or working in a remote desktop's viewer shows no keys or mouse
    to the window: no automatic Away meanwhile; idle time counts from the end."""
    wp, _rec = signed_in
    wp.idle_seconds = 0.3
    wp.engaged("call", True)
    wp.engaged("remote", True)
    await asyncio.sleep(1.0)  # three idle limits: long enough to have gone Away
    assert wp.status == Status.FREE and (await wp.api.me()).status == Status.FREE
    wp.engaged("call", False)
    await asyncio.sleep(1.0)
    assert wp.status == Status.FREE  # still in the viewer
    wp.engaged("remote", False)
    await until(lambda: wp.status == Status.AWAY, what="away once both ended")
    wp.engaged("call", False)  # a call ringing unanswered, ending: no activity, still Away
    await asyncio.sleep(0.5)
    assert wp.status == Status.AWAY
    wp.idle_seconds = 60
    wp.engaged("call", True)  # a call answered from the headset: back from the Away
    await until(lambda: wp.status == Status.FREE, what="back")
    wp.engaged("call", False)


async def test_keys_in_another_program_keep_the_specialist_at_their_desk(
    signed_in: tuple[Workplace, Recorder],
) -> None:
    """Seed 000 4.8: Away "at the absence of activity" at the workstation — typing in the
    accounting program counts (the desktop's idle time, app/clients/system_idle.py), and
    brings an automatic Away back. The desktop is played by the seam here; the real query
    is tested against Xvfb (tests/app/test_system_idle.py)."""
    wp, _rec = signed_in
    desktop = {"idle": 0.5}
    wp.system_idle = lambda: desktop["idle"]
    wp.idle_seconds = 0.3
    await asyncio.sleep(1.0)  # the window saw nothing, the desktop saw keys
    assert wp.status == Status.FREE
    desktop["idle"] = 60.0
    await until(lambda: wp.status == Status.AWAY, what="away: nothing anywhere")
    desktop["idle"] = 0.2  # typing in another program again
    await until(lambda: wp.status == Status.FREE, what="back: keys elsewhere")
    wp.idle_seconds = 60


async def test_the_cache_shows_the_last_state_when_the_server_is_away(
    live: Any, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    creds = Credentials(use_keyring=False)
    wp = make_workplace(data)
    wp.credentials = creds
    try:
        assert await wp.sign_in(live.url, "demo", "demo", remember=True)
        line_id = regular_line(wp)
        await wp.select_line(line_id)
        ids = list(wp.users.ids)
        await wp.open_chat(ids[0])
        chat_id = wp.users.row(ids[0]).chat_id
        url = wp.server_url
        assert url is not None
    finally:
        await wp.close()
    live.stop()
    wp2 = make_workplace(data)
    wp2.credentials = creds
    rec = Recorder(wp2)
    try:
        assert await wp2.resume_session(url)
        assert rec.of(ch.SignedIn) and rec.of(ch.LinesLoaded)
        assert wp2.current_line_id == line_id or wp2.lines
        await wp2.select_line(line_id)
        assert list(rec.of(ch.UsersReset)[-1].ids) == ids
        await wp2.open_chat(ids[0])
        assert rec.of(ch.ChatOpened)[-1].chat_id == chat_id and rec.of(ch.ChatOpened)[-1].messages
        assert wp2.connection != ConnectionState.CONNECTED
    finally:
        await wp2.close()
        live.start()


async def test_what_was_shown_from_the_cache_is_brought_up_to_date_when_the_server_is_back(
    live: Any, tmp_path: Path
) -> None:
    """The program starts while the server is away and shows the cached state; a user had
    written in since that state was cached. When the server is back, the list and the open
    chat show the message (the stream alone would only bring what happens from then on)."""
    data = tmp_path / "data"
    creds = Credentials(use_keyring=False)
    wp = make_workplace(data)
    wp.credentials = creds
    try:
        assert await wp.sign_in(live.url, "demo", "demo", remember=True)
        user_id, row = await open_last_user(wp)
        url = wp.server_url
        assert url is not None
    finally:
        await wp.close()
    sent = await user_writes(live.url, row, "Пока вас не было")
    live.stop()
    wp2 = make_workplace(data)
    wp2.credentials = creds
    try:
        assert await wp2.resume_session(url)
        await wp2.select_line(regular_line(wp2))
        await wp2.open_chat(user_id)
        assert not on_top(wp2.users, user_id)  # the cache: before the message
        live.start()
        await until(lambda: wp2.connection == ConnectionState.CONNECTED, what="back")
        await until(lambda: on_top(wp2.users, user_id), what="the list brought up to date")
        assert wp2.users.row(user_id).last_message.id == sent.id  # type: ignore[union-attr]
        await until(
            lambda: any(m.id == sent.id for m in wp2.chats[row.chat_id].messages),
            what="the open chat brought up to date",
        )
    finally:
        await wp2.close()


@contextlib.asynccontextmanager
async def started(data: Path, url: str, login: str) -> AsyncIterator[Workplace]:
    """A program's Workplace on `data`, signed in as `login`; closed after."""
    wp = make_workplace(data)
    try:
        assert await wp.sign_in(url, login, "demo", remember=False)
        yield wp
    finally:
        await wp.close()


async def test_drafts_survive_a_restart_per_account_and_chat(live: Any, tmp_path: Path) -> None:
    data = tmp_path / "data"
    text = "Добрый день! Проверьте, пожалуйста,\nнастройки"
    signed_out = make_workplace(data)
    try:
        assert signed_out.draft(1) == ""  # not signed in: nothing, and nothing kept
        signed_out.keep_draft(1, "нет")
    finally:
        await signed_out.close()
    async with started(data, live.url, "demo") as wp:
        _, row = await open_last_user(wp)
        assert wp.draft(row.chat_id) == ""
        wp.keep_draft(row.chat_id, text)
        wp.keep_draft(row.chat_id + 1, "   ")  # blank: no draft
    async with started(data, live.url, "demo") as wp:
        assert wp.draft(row.chat_id) == text
        assert wp.draft(row.chat_id + 1) == ""
        wp.keep_draft(row.chat_id, "")
        assert wp.draft(row.chat_id) == ""
    # another specialist on the same computer has their own
    async with started(data, live.url, "o.smirnova") as wp:
        wp.keep_draft(row.chat_id, "чужой черновик")
    async with started(data, live.url, "demo") as wp:
        assert wp.draft(row.chat_id) == ""


async def test_another_specialist_sees_the_status(
    live: Any, signed_in: tuple[Workplace, Recorder], tmp_path: Path
) -> None:
    wp, _ = signed_in
    other = make_workplace(tmp_path / "other")
    rec = Recorder(other)
    try:
        assert await other.sign_in(live.url, "o.smirnova", "demo", remember=False)
        await until(lambda: other.connection == ConnectionState.CONNECTED, what="connected")
        assert wp.me is not None and wp.me.id in other.colleagues
        await wp.set_status(Status.DND)
        await until(
            lambda: any(
                c.colleague.id == wp.me.id and c.colleague.status == Status.DND  # type: ignore[union-attr]
                for c in rec.of(ch.ColleagueChanged)
            ),
            what="colleague status",
        )
        assert other.colleagues[wp.me.id].status == Status.DND
    finally:
        await other.close()
