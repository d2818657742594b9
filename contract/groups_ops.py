"""The groups feature's operations (``contract.groups``); a group's messages, files and
quotes are the chat operations of its ``chat_id``."""

from __future__ import annotations

from contract import groups
from contract.operation import V1, Operation, Reply, ok

_GROUP = {404: "No such group (or the caller is not a member)"}
_OUTSIDE = (
    "An id that names nobody in the creator's environment (a colleague of their company, a"
    " user of a line they serve): `not-in-environment`, errors name the field and the ids"
)
_TOO_MANY = "More members in all than a group may have (`not-in-environment`)"
GROUPS = Operation(
    "GET",
    f"{V1}/groups",
    "The groups I am a member of",
    "groups",
    ok(groups.Groups),
    description="Newest first. A client user who is a member sees the group too.",
)
CREATE = Operation(
    "POST",
    f"{V1}/groups",
    "Make a group (specialists); emits group.updated to its members",
    "groups",
    {201: Reply("Made", groups.Group)},
    description="The creator is a member; the others come from their environment: colleagues"
    " (specialist_ids) and users of the lines they serve (user_ids; a colleague's user row"
    f" counts as the colleague). At most {groups.MAX_MEMBERS} members. Its chat is on"
    " line_id; only members see it, its messages and its events.",
    body=groups.NewGroup,
    problems={
        400: "Invalid body (a name of only spaces)",
        403: "Not a specialist",
        404: "No such line (or not served by the caller); " + _OUTSIDE,
        422: _TOO_MANY,
    },
)
GROUP = Operation(
    "GET",
    f"{V1}/groups/{{group_id}}",
    "One group with its members",
    "groups",
    ok(groups.Group),
    params=groups.GroupPath,
    problems=_GROUP,
)
RENAME = Operation(
    "PATCH",
    f"{V1}/groups/{{group_id}}",
    "Rename a group (the creator only); emits group.updated",
    "groups",
    ok(groups.Group, "OK: the group now"),
    description="Every member sees the new name live (group.updated); the same name again"
    " changes nothing and tells nobody.",
    params=groups.GroupPath,
    body=groups.GroupChange,
    problems={
        **_GROUP,
        400: "Invalid body (a name of only spaces)",
        403: "Not the group's creator",
    },
)
ADD = Operation(
    "POST",
    f"{V1}/groups/{{group_id}}/members",
    "Add members (the creator only); emits group.updated",
    "groups",
    ok(groups.Group, "OK: the group now"),
    params=groups.GroupPath,
    body=groups.MembersRequest,
    problems={
        403: "Not the group's creator",
        404: "No such group (or the caller is not a member); " + _OUTSIDE,
        422: _TOO_MANY,
    },
)
REMOVE_USER = Operation(
    "DELETE",
    f"{V1}/groups/{{group_id}}/users/{{user_id}}",
    "Remove a client user (the creator only; idempotent); emits group.updated",
    "groups",
    ok(groups.Group, "OK: the group now"),
    description="The removed member gets that event too (without them in members), then no more.",
    params=groups.GroupUserPath,
    problems={**_GROUP, 403: "Not the group's creator"},
)
REMOVE_SPECIALIST = Operation(
    "DELETE",
    f"{V1}/groups/{{group_id}}/specialists/{{specialist_id}}",
    "Remove a specialist (the creator only, not themselves; idempotent); emits group.updated",
    "groups",
    ok(groups.Group, "OK: the group now"),
    params=groups.GroupSpecialistPath,
    problems={**_GROUP, 403: "Not the group's creator", 409: "The creator cannot leave"},
)
SHARED = Operation(
    "GET",
    f"{V1}/users/{{user_id}}/shared-groups",
    "The groups a user and I are both members of (the info panel)",
    "groups",
    ok(groups.SharedGroups),
    description="For a specialist: the user must be a user of a line they serve. A colleague's"
    " user row stands for the colleague.",
    params=groups.UserPath,
    problems={403: "Not a specialist", 404: "No such user on the caller's lines"},
)
OPERATIONS: tuple[Operation, ...] = (
    GROUPS,
    CREATE,
    GROUP,
    RENAME,
    ADD,
    REMOVE_USER,
    REMOVE_SPECIALIST,
    SHARED,
)
