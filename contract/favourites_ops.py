"""The favourites' operations: my favourites, and a user of a line added or removed."""

from __future__ import annotations

from contract import clients, favourites
from contract.operation import V1, Operation, ok

MINE = Operation(
    "GET",
    f"{V1}/me/favourites",
    "My favourites on every line I serve",
    "lines",
    ok(favourites.Favourites),
    description="Every event of a favourite's chat on its line reaches the specialist (their"
    " alerts), colleagues' work included.",
    problems={403: "Not a specialist"},
)
ADD = Operation(
    "PUT",
    f"{V1}/lines/{{line_id}}/favourites/{{user_id}}",
    "Add a user of the line to my favourites (idempotent)",
    "lines",
    ok(favourites.Favourites, "OK: my favourites now"),
    params=clients.UserPath,
    problems={403: "Not a specialist", 404: "No such line or user (or not served by the caller)"},
)
REMOVE = Operation(
    "DELETE",
    f"{V1}/lines/{{line_id}}/favourites/{{user_id}}",
    "Remove a user from my favourites (idempotent)",
    "lines",
    ok(favourites.Favourites, "OK: my favourites now"),
    params=clients.UserPath,
    problems={403: "Not a specialist", 404: "No such line (or not served by the caller)"},
)
OPERATIONS: tuple[Operation, ...] = (MINE, ADD, REMOVE)
