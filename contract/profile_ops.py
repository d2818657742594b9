"""The profile feature's operations."""

from __future__ import annotations

from contract import accounts, profile
from contract.operation import V1, Operation, ok

UPDATE = Operation(
    "PUT",
    f"{V1}/me/profile",
    "Change my position, e-mail or phone",
    "accounts",
    ok(accounts.Me, "OK: me now"),
    description=(
        "An empty string clears a field; a field left out is kept. A specialist's change is "
        "told to their company's specialists (specialist.updated) and, where they are also a "
        "user of a line, to that line (user.updated); a client user's to their lines."
    ),
    body=profile.ProfileChange,
    problems={
        400: "A field is not valid (the errors name it): the e-mail address as the server"
        " reads it (email-validator) is checked beyond the schema's format"
    },
)
OPERATIONS: tuple[Operation, ...] = (UPDATE,)
