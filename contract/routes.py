"""Every operation of the API: its parameters, body, replies and the problems it answers.

The server registers its handlers by these (``server.core.wire.handles``) and validates
through their types; ``contract.openapi`` turns them into the OpenAPI document. A new
answer of an operation is one more entry in its ``problems`` (or ``replies``).
"""

from __future__ import annotations

from contract import (
    accounts,
    calls_ops,
    chats,
    chats_ops,
    clients,
    clients_ops,
    disconnections_ops,
    favourites_ops,
    groups_ops,
    profile_ops,
    remote_ops,
    tickets_ops,
)
from contract.events import ClientFrame, EventsQuery, ServerFrame
from contract.operation import JSON, V1, Operation, Reply, ok
from contract.photos import (
    AVATAR_HEADERS,
    MAX_SIDE,
    MIN_SIDE,
    SpecialistAvatarQuery,
    UserAvatarQuery,
)
from contract.photos import MAX_BYTES as AVATAR_MAX_BYTES
from contract.types import END

LOGIN = Operation(
    "POST",
    f"{V1}/auth/login",
    "Sign in",
    "accounts",
    ok(accounts.LoginResponse),
    body=accounts.LoginRequest,
    problems={401: "Wrong login or password", 429: "Too many failed attempts (Retry-After)"},
    auth=False,
)
LOGOUT = Operation(
    "POST", f"{V1}/auth/logout", "Revoke the token", "accounts", {204: Reply("Revoked")}
)
ME = Operation("GET", f"{V1}/me", "The caller", "accounts", ok(accounts.Me))
SET_STATUS = Operation(
    "PUT",
    f"{V1}/me/status",
    "Set my status (specialists); emits specialist.status",
    "accounts",
    ok(accounts.Me),
    body=accounts.StatusRequest,
    problems={403: "Not a specialist"},
)
COLLEAGUES = Operation(
    "GET",
    f"{V1}/colleagues",
    "Specialists of my company",
    "accounts",
    ok(accounts.Colleagues),
    problems={403: "Not a specialist"},
)
_PICTURE = {"type": "string", "format": "binary", "minLength": 1}
PUT_AVATAR = Operation(
    "PUT",
    f"{V1}/me/avatar",
    "Set my picture",
    "avatars",
    ok(accounts.Me, "OK: the caller, as GET /me"),
    description=f"The raw body is the picture (not multipart): a PNG or JPEG of the declared"
    f" type, 1 to {AVATAR_MAX_BYTES} bytes, width and height in {MIN_SIDE}..{MAX_SIDE}. A"
    " specialist's picture is also set on the client-user rows linked to them. Emits"
    ' user.updated ({"id", "avatar_url"}) on every line of each changed client-user row.',
    body_media={
        "image/png": {"schema": {**_PICTURE, "contentMediaType": "image/png"}},
        "image/jpeg": {"schema": {**_PICTURE, "contentMediaType": "image/jpeg"}},
    },
    problems={
        413: f"Over {AVATAR_MAX_BYTES} bytes (nothing stored)",
        415: "Not image/png or image/jpeg",
        422: f"Empty, not an image of the declared type, damaged, or a side outside"
        f' {MIN_SIDE}..{MAX_SIDE} (errors: field "body")',
    },
)
DELETE_AVATAR = Operation(
    "DELETE",
    f"{V1}/me/avatar",
    "Remove my picture (idempotent)",
    "avatars",
    ok(accounts.Me, "OK: the caller, as GET /me"),
    description="Also from the client-user rows linked to a specialist; emits user.updated for"
    " each changed client-user row.",
)
_SERVED = (
    "Answered 404 alike when there is no picture, `v` is not its current version, or the caller"
    " may not see it. `If-None-Match` with the ETag → 304."
)
_PICTURE_REPLIES = {
    200: Reply(
        "The picture's bytes",
        media={"image/png": {}, "image/jpeg": {}},
        headers=AVATAR_HEADERS,
    ),
    304: Reply("Not modified (If-None-Match matched the ETag)", headers=AVATAR_HEADERS),
}
USER_AVATAR = Operation(
    "GET",
    f"{V1}/users/{{user_id}}/avatar",
    "A client user's picture",
    "avatars",
    _PICTURE_REPLIES,
    description="Visible to the user themself and to specialists serving a line the user is"
    " connected to. " + _SERVED,
    params=UserAvatarQuery,
    problems={404: "No such picture (or not for the caller)"},
)
SPECIALIST_AVATAR = Operation(
    "GET",
    f"{V1}/specialists/{{specialist_id}}/avatar",
    "A specialist's picture",
    "avatars",
    _PICTURE_REPLIES,
    description="Visible to the specialists of the same company (and the specialist"
    " themself). " + _SERVED,
    params=SpecialistAvatarQuery,
    problems={404: "No such picture (or not for the caller)"},
)
LINES = Operation(
    "GET",
    f"{V1}/lines",
    "Lines I serve",
    "lines",
    ok(clients.Lines),
    problems={403: "Not a specialist"},
)
_LINE = {403: "Not a specialist", 404: "No such line (or not served by the caller)"}
LINE_USERS = Operation(
    "GET",
    f"{V1}/lines/{{line_id}}/users",
    "Users of a line, keyset-paged",
    "lines",
    ok(clients.UserPage),
    params=clients.UsersQuery,
    problems={**_LINE, 400: "Invalid parameters, or a cursor this server did not issue"},
)
USER_CARD = Operation(
    "GET",
    f"{V1}/lines/{{line_id}}/users/{{user_id}}",
    "One user's card",
    "lines",
    ok(clients.UserCard),
    params=clients.UserPath,
    problems={**_LINE, 404: "No such line or user (or not served by the caller)"},
)
DIRECTORY = Operation(
    "GET",
    f"{V1}/lines/{{line_id}}/directory",
    "Every user of a line, compactly: for a client's local search",
    "lines",
    ok(clients.Directory),
    description="Parallel arrays in the display order of GET /lines/{line_id}/users (users with"
    " messages by last message time, newest first; then by full name): user ids, chat ids, last"
    " message times and the lower-cased search text that `q` matches (full name, login, e-mail,"
    " company name, INNs, one per line); and what the list's filter asks: flags (1 unread,"
    " 2 waiting for an answer, 4 online, 8 an open ticket held by the caller), company ids,"
    " birthdays (month × 100 + day, 0: not known).",
    params=clients.LinePath,
    problems=_LINE,
)
ROWS = Operation(
    "GET",
    f"{V1}/lines/{{line_id}}/rows",
    "UserRows of a line by id",
    "lines",
    ok(clients.UserRows),
    description="The rows of the given users in the order asked; ids that are not users of the"
    " line are left out (their existence does not leak).",
    params=clients.RowsQuery,
    problems=_LINE,
)
CHATS = Operation(
    "GET",
    f"{V1}/chats",
    "My chats (client users)",
    "chats",
    ok(chats.Chats),
    problems={403: "Not a client user"},
)
_CHAT = {404: "No such chat (or not visible to the caller)"}
HISTORY = Operation(
    "GET",
    f"{V1}/chats/{{chat_id}}/messages",
    "Chat history, keyset-paged both ways",
    "chats",
    ok(chats.MessagePage),
    description="Neither before nor after: the newest page. before: the newest messages"
    " before it; after: the oldest after it; both: the oldest between them. Items ascend by"
    " id; has_more: more in the direction asked (toward before, or the older ones).",
    params=chats.HistoryQuery,
    problems=_CHAT,
)
SEND = Operation(
    "PUT",
    f"{V1}/chats/{{chat_id}}/messages/{{client_msg_id}}",
    "Send a message idempotently",
    "chats",
    {201: Reply("Created", chats.Message), 200: Reply("A retry: the original", chats.Message)},
    params=chats.MessagePath,
    body=chats.MessageRequest,
    problems={
        400: "Invalid body (no text besides spaces and no file, a fragment without quote_id)",
        403: "The user is disconnected from this line (`disconnected`, seed 004), or, sent by"
        " the user, their connection to the line ended (`connection-ended`): nothing written",
        404: "No such chat, or quote_id / file_id names no message / file of this chat, or"
        " quote_text no part of the quoted message's text (errors name the field)",
    },
)
DELETE_MESSAGE = Operation(
    "DELETE",
    f"{V1}/chats/{{chat_id}}/messages/{{client_msg_id}}",
    "Delete my message (specialists): it stays as a tombstone",
    "chats",
    ok(chats.Message, "OK: the tombstone (again for a message deleted already)"),
    description="The caller's own message, named by the key it was sent with. Its text, file"
    " and quote are cleared and `deleted` set; replies quoting it say their original was"
    " deleted. Emits message.deleted (the tombstone) to everyone who sees the chat.",
    params=chats.MessagePath,
    problems={**_CHAT, 403: "Not a specialist", 404: "No such chat, or no message of mine"},
)
MARK_READ = Operation(
    "POST",
    f"{V1}/chats/{{chat_id}}/read",
    "Mark read up to a message (specialists)",
    "chats",
    {204: Reply("Done")},
    params=chats.ChatPath,
    body=chats.ReadRequest,
    problems={
        403: "Not a specialist",
        404: "No such chat, or up_to is no message of this chat (errors name the field;"
        " nothing is changed)",
    },
)
UPLOAD = Operation(
    "POST",
    f"{V1}/chats/{{chat_id}}/files",
    "Upload a file (≤ 20 MiB)",
    "files",
    {201: Reply("Stored", chats.File)},
    params=chats.ChatPath,
    body_media={
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "contentMediaType": "application/octet-stream",
                    }
                },
                "required": ["file"],
                "additionalProperties": False,
            }
        }
    },
    problems={
        **_CHAT,
        400: "Not multipart, or its first part is not the field 'file'",
        403: "The user is disconnected from this line (`disconnected`, seed 004), or, sent by"
        " the user, their connection to the line ended (`connection-ended`): nothing written",
        413: "Too large",
        415: "Not multipart/form-data",
    },
)
DOWNLOAD = Operation(
    "GET",
    f"{V1}/files/{{file_id}}",
    "Download a file (as an attachment)",
    "files",
    {
        200: Reply(
            "The bytes",
            media={"*/*": {}},
            headers={"Content-Disposition": {"schema": {"type": "string"}}},
        )
    },
    params=chats.FilePath,
    problems={404: "No such file (or not visible to the caller)"},
)
EVENTS = Operation(
    "GET",
    f"{V1}/events",
    "The event stream (WebSocket). Server frames: ServerFrame; client frames: ClientFrame.",
    "events",
    {101: Reply("Switching to WebSocket")},
    params=EventsQuery,
    headers=(
        {"name": "Upgrade", "in": "header", "required": True, "schema": {"const": "websocket"}},
        {"name": "Connection", "in": "header", "required": True, "schema": {"const": "Upgrade"}},
        {
            "name": "Sec-WebSocket-Key",
            "in": "header",
            "required": True,
            "schema": {"type": "string", "pattern": "^[A-Za-z0-9+/]{22}==" + END},
        },
        {
            "name": "Sec-WebSocket-Version",
            "in": "header",
            "required": True,
            "schema": {"const": "13"},
        },
    ),
    problems={
        400: "Not a WebSocket upgrade, or an invalid cursor",
        429: "The account has too many event streams open (Retry-After)",
    },
)
OPENAPI = Operation(
    "GET",
    f"{V1}/openapi.json",
    "This document",
    "meta",
    {200: Reply("OpenAPI 3.1", media={JSON: {"schema": {"type": "object"}}})},
    auth=False,
)
OPERATIONS: tuple[Operation, ...] = (
    LOGIN, LOGOUT, ME, SET_STATUS, PUT_AVATAR, DELETE_AVATAR, COLLEAGUES, LINES, LINE_USERS,
    USER_CARD, DIRECTORY, ROWS, CHATS, HISTORY, SEND, DELETE_MESSAGE, MARK_READ, UPLOAD, DOWNLOAD,
    *tickets_ops.OPERATIONS, EVENTS, USER_AVATAR, SPECIALIST_AVATAR, OPENAPI,
    *remote_ops.OPERATIONS,
    *chats_ops.OPERATIONS,
    *calls_ops.OPERATIONS,
    *clients_ops.OPERATIONS,
    *groups_ops.OPERATIONS,
    *profile_ops.OPERATIONS,
    *favourites_ops.OPERATIONS,
    *disconnections_ops.OPERATIONS,
)  # fmt: skip
FRAMES = (ServerFrame, ClientFrame)  # the WebSocket's messages, documented beside the routes
