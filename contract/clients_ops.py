"""The clients feature's operations beyond the users list: my list on a line, the companies of
a line's users, and a client user's presence."""

from __future__ import annotations

from contract import clients
from contract.operation import V1, Operation, Reply, ok

_LINE = {403: "Not a specialist", 404: "No such line (or not served by the caller)"}
MY_LIST = Operation(
    "GET",
    f"{V1}/lines/{{line_id}}/my-list",
    "The users I added to my list on a line",
    "lines",
    ok(clients.MyList),
    description="A streaming line's list shows these besides the users active lately.",
    params=clients.LinePath,
    problems=_LINE,
)
MY_LIST_ADD = Operation(
    "PUT",
    f"{V1}/lines/{{line_id}}/my-list/{{user_id}}",
    "Add a user of the line to my list (idempotent)",
    "lines",
    ok(clients.MyList, "OK: my list now"),
    params=clients.UserPath,
    problems={**_LINE, 404: "No such line or user (or not served by the caller)"},
)
MY_LIST_REMOVE = Operation(
    "DELETE",
    f"{V1}/lines/{{line_id}}/my-list/{{user_id}}",
    "Remove a user from my list (idempotent)",
    "lines",
    ok(clients.MyList, "OK: my list now"),
    params=clients.UserPath,
    problems=_LINE,
)
LINE_COMPANIES = Operation(
    "GET",
    f"{V1}/lines/{{line_id}}/companies",
    "The companies of a line's users, by name",
    "lines",
    ok(clients.LineCompanies),
    description="Every company at least one user still connected to the line is of (colleagues'"
    " own company too), with its INNs and how many of the line's users it has; ordered by name."
    " What the list's filter by company chooses from.",
    params=clients.LinePath,
    problems=_LINE,
)
SET_PRESENCE = Operation(
    "PUT",
    f"{V1}/me/presence",
    "Set my presence (client users); emits user.updated",
    "accounts",
    {204: Reply("Set")},
    body=clients.PresenceRequest,
    problems={403: "Not a client user"},
)
OPERATIONS: tuple[Operation, ...] = (
    MY_LIST,
    MY_LIST_ADD,
    MY_LIST_REMOVE,
    LINE_COMPANIES,
    SET_PRESENCE,
)
