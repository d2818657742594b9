"""The chat's own operations beyond the conversation (``contract.chats``): search of the
whole history, a message in place with its neighbours (a search hit, a quote), the
chat's files (the info panel), and the unread chats of every line (the tray's count)."""

from __future__ import annotations

from contract import chats
from contract.operation import V1, Operation, ok

_CHAT = {404: "No such chat (or not visible to the caller)"}

SEARCH = Operation(
    "GET",
    f"{V1}/chats/{{chat_id}}/search",
    "Search the chat's whole history",
    "chats",
    ok(chats.SearchPage),
    description="Words in any form a Russian speaker types (PostgreSQL's `russian` text"
    " search; on SQLite an FTS5 index of Snowball Russian stems); е and ё are one letter,"
    " case does not matter; every word must be there. Quotes, percent signs and backslashes"
    " are only separators. Stop words are ignored (listed in `ignored`).",
    params=chats.SearchQuery,
    problems={**_CHAT, 400: "Invalid parameters"},
)
AROUND = Operation(
    "GET",
    f"{V1}/chats/{{chat_id}}/around/{{message_id}}",
    "A message in place: it and its neighbours on both sides",
    "chats",
    ok(chats.AroundPage),
    params=chats.AroundQuery,
    problems={404: "No such chat or message (or not visible to the caller)"},
)
FILES = Operation(
    "GET",
    f"{V1}/chats/{{chat_id}}/files",
    "The chat's files: the messages that carry one, newest first",
    "files",
    ok(chats.FileMessages),
    params=chats.FilesQuery,
    problems={**_CHAT, 400: "Invalid limit"},
)
UNREAD = Operation(
    "GET",
    f"{V1}/me/unread",
    "The unread chats of every line I serve",
    "chats",
    ok(chats.UnreadChats),
    description="The users' chats (of users still connected) with client messages not read"
    " yet, by anyone: what the window counts on its tray icon when it signs in.",
    problems={403: "Not a specialist"},
)
OPERATIONS: tuple[Operation, ...] = (SEARCH, AROUND, FILES, UNREAD)
