"""Search of a chat's whole history, and a message in place (server/chats/search.py)."""

from __future__ import annotations

from aiohttp import web
from msgspec import UNSET
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from contract import chats as wire
from contract import chats_ops as ops
from server.auth.access import visible_chat
from server.chats.search import Query
from server.core import present
from server.core.models import Message
from server.core.problems import not_found
from server.core.state import authenticate, state_of
from server.core.wire import handles, params, reply

routes = web.RouteTableDef()

# the indexed expression repeated (server/chats/search.py PG_VECTOR), so the index is used
_PG_MATCH = text(
    "SELECT id FROM messages WHERE chat_id = :chat AND id < :before AND "
    "to_tsvector('russian'::regconfig, translate(text, 'ёЁ', 'еЕ')) "
    "@@ plainto_tsquery('russian'::regconfig, :words) ORDER BY id DESC LIMIT :limit"
)
_SQLITE_MATCH = text(
    "SELECT rowid FROM message_search WHERE message_search MATCH :match "
    "AND rowid < :before ORDER BY rowid DESC LIMIT :limit"
)
_NO_ID = 2**31 - 1  # above any id (an INTEGER column: 32 bits on PostgreSQL)


@handles(routes, ops.SEARCH)
async def search(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        asked = params(request, ops.SEARCH, wire.SearchQuery)
        await visible_chat(session, caller, asked.chat_id)
        query = Query(asked.q)
        if query.empty:
            return reply(wire.SearchPage([], False, query.words, query.ignored))
        before = _NO_ID if asked.before is UNSET else asked.before
        ids = await _matching(session, state.db.is_sqlite, query, asked.chat_id, before, asked)
        has_more = len(ids) > asked.limit
        ids = ids[: asked.limit]
        rows = (await session.scalars(select(Message).where(Message.id.in_(ids)))).all()
        rows = sorted(rows, key=lambda m: -m.id)
        items = await present.messages(session, rows)
    hits = [wire.SearchHit(m, [wire.Span(s, e) for s, e in query.spans(m.text)]) for m in items]
    return reply(wire.SearchPage(hits, has_more, query.words, query.ignored))


async def _matching(
    session: AsyncSession,
    sqlite: bool,
    query: Query,
    chat_id: int,
    before: int,
    asked: wire.SearchQuery,
) -> list[int]:
    limit = asked.limit + 1
    if sqlite:
        found = await session.execute(
            _SQLITE_MATCH, {"match": query.fts5(chat_id), "before": before, "limit": limit}
        )
    else:
        # planned for these very words (a rare word: the GIN index; a common one: newest
        # first through the chat's ids), never a generic plan cached for other words
        await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        found = await session.execute(
            _PG_MATCH,
            {"chat": chat_id, "before": before, "words": query.text(), "limit": limit},
        )
    return [int(i) for i in found.scalars()]


@handles(routes, ops.AROUND)
async def around(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        asked = params(request, ops.AROUND, wire.AroundQuery)
        await visible_chat(session, caller, asked.chat_id)
        chat_id, mid, limit = asked.chat_id, asked.message_id, asked.limit
        middle = await session.get(Message, mid)
        if middle is None or middle.chat_id != chat_id:
            raise not_found("message")
        older = (
            await session.scalars(
                select(Message)
                .where(Message.chat_id == chat_id, Message.id < mid)
                .order_by(Message.id.desc())
                .limit(limit + 1)
            )
        ).all()
        newer = (
            await session.scalars(
                select(Message)
                .where(Message.chat_id == chat_id, Message.id > mid)
                .order_by(Message.id)
                .limit(limit + 1)
            )
        ).all()
        rows = [*reversed(older[:limit]), middle, *newer[:limit]]
        items = await present.messages(session, rows)
    return reply(wire.AroundPage(items, len(older) > limit, len(newer) > limit))
