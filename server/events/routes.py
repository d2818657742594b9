"""GET /api/v1/events: the WebSocket. Replays the log after the client's cursor, then
streams live events; each event reaches the client once, in seq order."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import msgspec
from aiohttp import WSCloseCode, WSMsgType, web
from msgspec import UNSET

from contract import codec
from contract import routes as api
from contract.events import (
    ClientFrame,
    ErrorFrame,
    EventsQuery,
    HelloFrame,
    ResyncFrame,
    TypingAuthor,
    TypingFrame,
)
from server.auth.access import company_of, served_line_ids
from server.auth.tokens import Caller, bearer, token_hash
from server.core.models import AuthToken, Chat, ClientUser, Specialist, utcnow
from server.core.problems import Problem
from server.core.state import State, authenticate, state_of
from server.core.wire import encode, handles, params
from server.events import log as eventlog
from server.events.audience import Viewer, may_see
from server.events.fanout import Subscriber, Typing

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
REPLAY_BATCH = 500
TYPING_EVERY_S = 2.0
"""A socket's typing notices for one chat are passed on at most this often; more are dropped."""
FRAMES_PER_SECOND = 20
"""A socket that sends more frames than this in a second is closed (1008, policy violation)."""
TOKEN_RECHECK_SECONDS = 30.0


def author_key(caller: Caller) -> str:
    return f"{caller.kind.value}:{caller.id}"


@handles(routes, api.EVENTS)
async def events(request: web.Request) -> web.WebSocketResponse:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        asked = params(request, api.EVENTS, EventsQuery).after
        after = None if asked is UNSET else asked
        company_id = await company_of(session, caller)
        lines = await served_line_ids(session, caller.id) if caller.is_specialist else set()
    # No permessage-deflate: every recipient gets the same frame bytes, encoded once.
    ws = web.WebSocketResponse(
        heartbeat=state.settings.heartbeat_seconds,
        max_msg_size=state.settings.max_ws_frame,
        compress=False,
    )
    if not ws.can_prepare(request):  # aiohttp's own answer would quote its internals
        raise Problem(
            400,
            "websocket-expected",
            "WebSocket expected",
            "this is the event stream: open it as a WebSocket (Upgrade: websocket, version 13)",
        )
    account, streams = author_key(caller), state.streams_of_account
    if streams[account] >= state.settings.max_streams_per_account:  # a review opened 1 000
        raise Problem(
            429,
            "too-many-streams",
            "Too many event streams",
            f"this account has {streams[account]} event streams open: close one, or try again"
            f" in {RETRY_STREAM_S} s",
            headers={"Retry-After": str(RETRY_STREAM_S)},
        )
    streams[account] += 1
    try:
        return await _serve(request, ws, state, caller, company_id, lines, after)
    finally:
        streams[account] -= 1
        if not streams[account]:
            del streams[account]


RETRY_STREAM_S = 30  # two heartbeats: a socket whose client is gone is found dead by then


async def _serve(
    request: web.Request,
    ws: web.WebSocketResponse,
    state: State,
    caller: Caller,
    company_id: int | None,
    lines: set[int],
    after: int | None,
) -> web.WebSocketResponse:
    try:
        await ws.prepare(request)
    except ConnectionResetError:  # the client went away during the handshake
        return ws
    transport = request.transport
    if transport is None:  # the same, noticed a step later
        return ws
    subscriber = Subscriber(
        ws,
        transport,
        request.writer,
        viewer=Viewer(
            author_key(caller),
            lines=frozenset(lines),
            client_id=None if caller.is_specialist else caller.id,
        ),
        backlog=state.settings.subscriber_backlog,
    )
    hashed = token_hash(bearer(request))
    state.sockets.add(ws)
    state.sockets_of_token.setdefault(hashed, set()).add(ws)
    watcher = asyncio.create_task(_watch_token(ws, state, hashed))
    try:
        await _stream(ws, state, caller, company_id, subscriber, after)
    finally:
        watcher.cancel()
        state.sockets.discard(ws)
        same_token = state.sockets_of_token.get(hashed)
        if same_token is not None:
            same_token.discard(ws)
            if not same_token:
                del state.sockets_of_token[hashed]
    return ws


async def _watch_token(ws: web.WebSocketResponse, state: State, hashed: str) -> None:
    """Close the stream once its token is revoked (by another process) or expires."""
    while not ws.closed:
        await asyncio.sleep(TOKEN_RECHECK_SECONDS)
        try:
            async with state.db.read() as session:
                row = await session.get(AuthToken, hashed)
                valid = row is not None and row.expires_at > utcnow()
        except Exception:
            log.exception("token recheck failed; trying again later")
            continue
        if not valid:
            await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"signed out")
            return


async def _stream(
    ws: web.WebSocketResponse,
    state: State,
    caller: Caller,
    company_id: int | None,
    subscriber: Subscriber,
    after: int | None,
) -> None:
    if company_id is None:
        await _say(ws, HelloFrame(head=0, oldest=1))
        await _receive(ws, state, caller, None)
        return
    await state.hub.subscribe(company_id, subscriber)
    try:
        async with state.db.read() as session:
            head = await eventlog.head(session, company_id)
            oldest = await eventlog.oldest(session, company_id, head)
        cursor = head if after is None else after
        if cursor < oldest - 1 or cursor > head:
            await _say(ws, ResyncFrame(oldest=oldest, head=head))
            await ws.close(code=WSCloseCode.OK, message=b"resync")
            return
        await _say(ws, HelloFrame(head=head, oldest=oldest))
        subscriber.cursor = cursor
        sender = asyncio.create_task(_send(ws, state, company_id, subscriber))
        try:
            await _receive(ws, state, caller, company_id)
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
    finally:
        state.hub.unsubscribe(company_id, subscriber)


async def _send(
    ws: web.WebSocketResponse, state: State, company_id: int, subscriber: Subscriber
) -> None:
    """Replay from the log after ``subscriber.cursor``, then go live (the tail writes);
    the cursor drops what was sent."""
    try:
        while True:
            cursor = subscriber.cursor
            async with state.db.read() as session:
                batch = await eventlog.read_after(session, company_id, cursor, REPLAY_BATCH)
                pruned = bool(batch) and batch[0].seq != cursor + 1
                head = await eventlog.head(session, company_id) if pruned else 0
            if pruned:
                # Pruned between the hello and this read: the log no longer covers the cursor.
                await _say(ws, ResyncFrame(oldest=batch[0].seq, head=head))
                await ws.close(code=WSCloseCode.OK, message=b"resync")
                return
            for event in batch:
                if may_see(subscriber.viewer, event):
                    await subscriber.write(event.wire)
                subscriber.cursor = event.seq
            if len(batch) < REPLAY_BATCH:
                break
        await subscriber.pump()
        await ws.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"too far behind")
    except ConnectionResetError:
        return
    except Exception:
        log.exception("event stream failed; closing it (the client resumes from its cursor)")
        await ws.close(code=WSCloseCode.INTERNAL_ERROR, message=b"server error")


async def _receive(
    ws: web.WebSocketResponse, state: State, caller: Caller, company_id: int | None
) -> None:
    last_typing: dict[int, float] = {}  # chat id -> when its last notice went out
    second_began, frames = time.monotonic(), 0
    async for message in ws:
        now = time.monotonic()
        if now - second_began >= 1.0:
            second_began, frames = now, 0
        frames += 1
        if frames > FRAMES_PER_SECOND:
            await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"too many frames")
            return
        if message.type is not WSMsgType.TEXT:
            if message.type is WSMsgType.BINARY:
                await _say(ws, ErrorFrame("send JSON text frames"))
            continue
        try:
            frame = codec.decode_json(message.data, ClientFrame)
        except codec.Invalid as exc:
            detail = "malformed JSON" if exc.malformed else 'expected {"type": "typing", "chat_id"}'
            await _say(ws, ErrorFrame(detail))
            continue
        if company_id is not None:
            chat_id = frame.chat_id
            if now - last_typing.get(chat_id, -TYPING_EVERY_S) < TYPING_EVERY_S:
                continue  # the chat's last notice still stands
            if len(last_typing) > 64:
                last_typing.clear()
            last_typing[chat_id] = now
            typing = await _typing(state, caller, company_id, chat_id)
            if typing is None:
                await _say(ws, ErrorFrame("no such chat"))
            else:
                await state.hub.publish(typing)
            continue
        await _say(ws, ErrorFrame('expected {"type": "typing", "chat_id"}'))


async def _say(ws: web.WebSocketResponse, frame: msgspec.Struct) -> None:
    await ws.send_str(encode(frame).decode())


async def _typing(state: State, caller: Caller, company_id: int, chat_id: int) -> Typing | None:
    async with state.db.read() as session:
        chat = await session.get(Chat, chat_id)
        if chat is None or chat.user_id is None:  # a group's chat has no typing notices
            return None
        if caller.is_specialist:
            if chat.line_id not in await served_line_ids(session, caller.id):
                return None
            name = (await session.get_one(Specialist, caller.id)).full_name
        else:
            if chat.user_id != caller.id:
                return None
            name = (await session.get_one(ClientUser, caller.id)).full_name
    frame = encode(TypingFrame(chat_id, TypingAuthor(caller.id, caller.kind, name))).decode()
    user_id = chat.user_id
    return Typing(company_id, chat.line_id, chat_id, user_id, author_key(caller), frame)
