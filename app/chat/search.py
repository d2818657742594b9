"""Search of the open chat's whole history (the server's, `contract.chats_ops.SEARCH`),
and a message shown in place (`AROUND`): a part of the core (intents), no Qt."""

from __future__ import annotations

from dataclasses import dataclass

from app.context import Context
from app.core import parse
from app.core.domain import Message
from contract import chats as wire

SEARCH = "chat.search"
"""Intent: (chat_id, q, before: int | None) → Found."""


@dataclass(frozen=True, slots=True)
class Hit:
    message: Message
    spans: tuple[tuple[int, int], ...]  # the matched words in message.text


@dataclass(frozen=True, slots=True)
class Found:
    query: str
    hits: tuple[Hit, ...]
    has_more: bool
    words: tuple[str, ...]
    ignored: tuple[str, ...]  # stop words left out

    @property
    def only_stop_words(self) -> bool:
        return not self.words and bool(self.ignored)


class ChatSearch:
    def __init__(self, session: Context) -> None:
        self._session = session
        session.intents.register(SEARCH, self.search)

    async def search(self, chat_id: int, q: str, before: int | None = None) -> Found:
        api = self._session.api
        assert api is not None
        params = {"q": q[: wire.MAX_QUERY], "limit": "30"}
        if before is not None:
            params["before"] = str(before)
        raw = await api.call("GET", f"/chats/{chat_id}/search", params=params)
        page = parse.convert(raw, wire.SearchPage)  # checked whole, then shaped
        hits = tuple(
            Hit(parse.message(item["message"]), tuple((s.start, s.end) for s in h.spans))
            for item, h in zip(raw["items"], page.items, strict=True)
        )
        return Found(q, hits, page.has_more, tuple(page.words), tuple(page.ignored))
