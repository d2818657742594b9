"""GET /api/v1/events: the WebSocket. Replays the log after the client's cursor, then
streams live events; each event reaches the client once, in seq order."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable

from aiohttp import WSCloseCode, WSMsgType, web

from server import eventlog
from server.access import company_of, served_line_ids
from server.auth import Caller
from server.bodies import MAX_ID, MAX_SEQ, int_param
from server.eventlog import LogEvent
from server.fanout import Item, Subscriber, Typing
from server.models import Chat, ClientUser, Specialist
from server.state import State, authenticate, state_of

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
REPLAY_BATCH = 500
SPECIALIST_WIDE_KINDS = frozenset({"specialist.status"})


def author_key(caller: Caller) -> str:
    return f"{caller.kind.value}:{caller.id}"


def visibility(caller: Caller, lines: set[int]) -> Callable[[Item], bool]:
    """What this caller's stream carries: a specialist's, their lines (and company-wide
    status changes); a client user's, their own chats. Nobody hears their own typing."""
    me = author_key(caller)

    def specialist_sees(item: Item) -> bool:
        if isinstance(item, LogEvent) and item.line_id is None:
            return item.kind in SPECIALIST_WIDE_KINDS
        return item.line_id in lines

    def client_sees(item: Item) -> bool:
        return item.user_id == caller.id and item.line_id is not None

    sees = specialist_sees if caller.is_specialist else client_sees

    def visible(item: Item) -> bool:
        return sees(item) and not (isinstance(item, Typing) and item.author == me)

    return visible


@routes.get("/api/v1/events")
async def events(request: web.Request) -> web.WebSocketResponse:
    state = state_of(request)
    after = int_param(request, "after", low=0, high=MAX_SEQ)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        company_id = await company_of(session, caller)
        lines = await served_line_ids(session, caller.id) if caller.is_specialist else set()
    ws = web.WebSocketResponse(
        heartbeat=state.settings.heartbeat_seconds, max_msg_size=state.settings.max_ws_frame
    )
    await ws.prepare(request)
    subscriber = Subscriber(visibility(caller, lines), state.settings.subscriber_backlog)
    if company_id is None:
        await ws.send_json({"type": "hello", "head": 0, "oldest": 1})
        await _receive(ws, state, caller, None)
        return ws
    await state.hub.subscribe(company_id, subscriber)
    try:
        async with state.db.read() as session:
            head = await eventlog.head(session, company_id)
            oldest = await eventlog.oldest(session, company_id, head)
        cursor = head if after is None else after
        if cursor < oldest - 1 or cursor > head:
            await ws.send_json({"type": "resync", "oldest": oldest, "head": head})
            await ws.close(code=WSCloseCode.OK, message=b"resync")
            return ws
        await ws.send_json({"type": "hello", "head": head, "oldest": oldest})
        sender = asyncio.create_task(_send(ws, state, company_id, subscriber, cursor))
        try:
            await _receive(ws, state, caller, company_id)
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
    finally:
        state.hub.unsubscribe(company_id, subscriber)
    return ws


async def _send(
    ws: web.WebSocketResponse, state: State, company_id: int, subscriber: Subscriber, cursor: int
) -> None:
    """Replay from the log, then drain the live inbox; ``cursor`` drops what was sent."""
    try:
        while True:
            async with state.db.read() as session:
                batch = await eventlog.read_after(session, company_id, cursor, REPLAY_BATCH)
            for event in batch:
                if subscriber.visible(event):
                    await ws.send_str(event.frame)
                cursor = event.seq
            if len(batch) < REPLAY_BATCH:
                break
        while True:
            item = await subscriber.queue.get()
            if item is None:
                await ws.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"too far behind")
                return
            if isinstance(item, Typing):
                await ws.send_str(item.frame)
            elif item.seq > cursor:
                await ws.send_str(item.frame)
                cursor = item.seq
    except ConnectionResetError:
        return
    except Exception:
        log.exception("event stream failed; closing it (the client resumes from its cursor)")
        await ws.close(code=WSCloseCode.INTERNAL_ERROR, message=b"server error")


async def _receive(
    ws: web.WebSocketResponse, state: State, caller: Caller, company_id: int | None
) -> None:
    async for message in ws:
        if message.type is not WSMsgType.TEXT:
            if message.type is WSMsgType.BINARY:
                await ws.send_json({"type": "error", "detail": "send JSON text frames"})
            continue
        try:
            frame = json.loads(message.data)
        except (json.JSONDecodeError, RecursionError):
            await ws.send_json({"type": "error", "detail": "malformed JSON"})
            continue
        if (
            isinstance(frame, dict)
            and frame.get("type") == "typing"
            and set(frame) == {"type", "chat_id"}
            and type(frame["chat_id"]) is int
            and 1 <= frame["chat_id"] <= MAX_ID
            and company_id is not None
        ):
            typing = await _typing(state, caller, company_id, frame["chat_id"])
            if typing is None:
                await ws.send_json({"type": "error", "detail": "no such chat"})
            else:
                await state.hub.publish(typing)
            continue
        await ws.send_json({"type": "error", "detail": 'expected {"type": "typing", "chat_id"}'})


async def _typing(state: State, caller: Caller, company_id: int, chat_id: int) -> Typing | None:
    async with state.db.read() as session:
        chat = await session.get(Chat, chat_id)
        if chat is None:
            return None
        if caller.is_specialist:
            if chat.line_id not in await served_line_ids(session, caller.id):
                return None
            name = (await session.get_one(Specialist, caller.id)).full_name
        else:
            if chat.user_id != caller.id:
                return None
            name = (await session.get_one(ClientUser, caller.id)).full_name
    frame = json.dumps(
        {
            "type": "typing",
            "chat_id": chat_id,
            "author": {"id": caller.id, "kind": caller.kind.value, "full_name": name},
        },
        ensure_ascii=False,
    )
    return Typing(company_id, chat.line_id, chat_id, chat.user_id, author_key(caller), frame)
