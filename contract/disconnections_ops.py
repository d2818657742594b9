"""The operations of disconnecting a client user from a line, and of restoring them."""

from __future__ import annotations

from contract import clients, disconnections
from contract.operation import V1, Operation, Reply, ok

_PATH = f"{V1}/lines/{{line_id}}/users/{{user_id}}/disconnection"
_WHO = {
    403: "Not a specialist",
    404: "No such line or user (or not served by the caller)",
}
DISCONNECT = Operation(
    "PUT",
    _PATH,
    "Disconnect a user from the line, with the reason",
    "lines",
    ok(
        disconnections.Disconnection,
        "OK: the disconnection (a user disconnected already: as it was, whatever `until` is asked)",
    ),
    description="A specialist of the line. Their open ticket on the line is finished (a step"
    " `disconnected` with the reason, then `finished`); from then on the line refuses their"
    " messages, files, calls and remote sessions (403 `disconnected`) until restored — or,"
    " with `until`, until then (a temporary block, seed 004: lifted by itself, told as a"
    " restore is). Their calls and remote sessions running end. With `also_lines`, the same"
    " on those lines too, in one transaction (the account blocked)."
    ' Emits user.updated ({"id", "disconnected"}) on each line, ticket.closed for a ticket'
    " finished.",
    params=clients.UserPath,
    body=disconnections.DisconnectRequest,
    problems={
        **_WHO,
        400: "Invalid body (no reason, or one of spaces or invisible characters only)",
        409: "A colleague's own user account (`colleague`); an `until` over already"
        " (`until-past`) or more than 366 days on (`until-too-far`)",
    },
)
RESTORE = Operation(
    "DELETE",
    _PATH,
    "Restore a disconnected user to the line (idempotent)",
    "lines",
    {204: Reply("Restored (or was not disconnected)")},
    description="Any specialist of the line. Emits user.updated"
    ' ({"id", "disconnected": null}) on the line.',
    params=clients.UserPath,
    problems=_WHO,
)
OPERATIONS: tuple[Operation, ...] = (DISCONNECT, RESTORE)
