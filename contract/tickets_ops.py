"""The operations of tickets: start work, take, finish, transfer, rate, comment, a line's
load, its monitor."""

from __future__ import annotations

from contract import chats, clients, tickets
from contract.operation import V1, Operation, ok

_TICKET = {403: "Not a specialist", 404: "No such ticket (or not on a served line)"}
_CONFLICT = (
    "Refused, nothing changed: the ticket is closed (`ticket-closed`) or held by a colleague"
    " (`held-by-colleague`; a supervisor may)"
)
START = Operation(
    "POST",
    f"{V1}/chats/{{chat_id}}/ticket",
    "Start work with a chat's user",
    "tickets",
    ok(chats.Ticket),
    description="Opens the chat's ticket held by the caller, or takes its open unheld one;"
    " the caller's own open ticket is answered as it is. Emits ticket.opened/updated.",
    params=chats.ChatPath,
    problems={
        403: "Not a specialist; or the chat's user is disconnected from the line (`disconnected`)",
        404: "No such chat (or not on a served line)",
        409: "Held by a colleague (`held-by-colleague`), or a group's chat (`group-chat`)",
    },
)
TAKE = Operation(
    "POST",
    f"{V1}/tickets/{{ticket_id}}/take",
    "Take a ticket",
    "tickets",
    ok(chats.Ticket),
    description="A queued (unheld) ticket, or — by a supervisor — anyone's.",
    params=chats.TicketPath,
    problems={**_TICKET, 409: _CONFLICT},
)
FINISH = Operation(
    "POST",
    f"{V1}/tickets/{{ticket_id}}/finish",
    "Finish work on a ticket",
    "tickets",
    ok(chats.Ticket),
    description="The caller's own open ticket (a supervisor: anyone's). The holder's freed"
    " place takes the oldest queued ticket of their lines.",
    params=chats.TicketPath,
    problems={**_TICKET, 409: _CONFLICT},
)
TRANSFER = Operation(
    "POST",
    f"{V1}/tickets/{{ticket_id}}/transfer",
    "Hand a ticket to a Free colleague, another line, or a vendor line's other tier",
    "tickets",
    ok(chats.Ticket),
    description="With `tier`: on a vendor line whose company holds the first-line right, to"
    " its second line (the vendor's) or back to the first — a Free colleague of that tier"
    " named, else routed within it (a holder, or its queue). A step `transferred` (its"
    " `tier`) tells the chat.",
    params=chats.TicketPath,
    body=tickets.TransferRequest,
    problems={
        **_TICKET,
        400: "Invalid body (naming no colleague, line or tier)",
        404: "No such ticket (or not on a served line); or specialist_id / line_id names no"
        " colleague / line of the ticket's company (errors name the field)",
        409: _CONFLICT + "; or the colleague is not Free (`not-free`), or already holds it;"
        " does not serve the line (`not-on-line`) or works at the other tier (`other-tier`);"
        " the ticket's own line with nobody named (`on-this-line`), or another line and a"
        " tier together (`line-or-tier`);"
        " or the user is not on that line (`not-connected`), has an open ticket there"
        " (`open-there`); or the line is not a vendor's (`not-vendor-line`), its company"
        " holds no first-line right (`no-first-line-right`), the ticket is at that tier"
        " (`already-there`)",
    },
)
RATE = Operation(
    "POST",
    f"{V1}/tickets/{{ticket_id}}/rating",
    "Rate a finished ticket (its user), once",
    "tickets",
    ok(chats.Ticket),
    params=chats.TicketPath,
    body=tickets.RatingRequest,
    problems={
        403: "Not a client user",
        404: "No such ticket (or not the caller's)",
        409: "Not finished yet (`not-finished`) or already rated (`already-rated`)",
    },
)
LOAD = Operation(
    "GET",
    f"{V1}/lines/{{line_id}}/load",
    "A line's specialists with their status and load, and its queue",
    "tickets",
    ok(tickets.LineLoad),
    params=clients.LinePath,
    problems={403: "Not a specialist", 404: "No such line (or not served by the caller)"},
)
STEPS = Operation(
    "GET",
    f"{V1}/chats/{{chat_id}}/steps",
    "The steps of the chat's tickets (system lines), oldest first",
    "tickets",
    ok(tickets.TicketSteps),
    params=chats.ChatPath,
    problems={404: "No such chat (or not visible to the caller)"},
)
MONITOR = Operation(
    "GET",
    f"{V1}/lines/{{line_id}}/monitor",
    "The online monitor of a line (supervisors)",
    "tickets",
    ok(tickets.LineMonitor),
    description="The queue and its longest wait, each specialist's status, load and open"
    " tickets, today's finished tickets and average rating (today: the serving company's"
    " time zone). Live through ticket.* and specialist.status events.",
    params=clients.LinePath,
    problems={
        403: "Not a specialist, or not a supervisor (`supervisors-only`)",
        404: "No such line (or not served by the caller)",
    },
)
HISTORY = Operation(
    "GET",
    f"{V1}/chats/{{chat_id}}/tickets",
    "The chat's tickets, newest first (the info panel's history of the user)",
    "tickets",
    ok(tickets.TicketHistory),
    params=tickets.HistoryQuery,
    problems={
        400: "Invalid limit",
        403: "Not a specialist",
        404: "No such chat (or not visible to the caller)",
    },
)
COMMENT = Operation(
    "PUT",
    f"{V1}/tickets/{{ticket_id}}/comment",
    "Comment on a ticket (specialists), for the colleagues of its line",
    "tickets",
    ok(tickets.TicketStep),
    description="Sets or edits the ticket's comment (open or finished): a step `commented`"
    " with the text as its `note`, told by ticket.step to the specialists of the line only —"
    " never to the ticket's user, whose `steps` leave it out. The same text again is answered"
    " with the step it already is.",
    params=chats.TicketPath,
    body=tickets.CommentRequest,
    problems={
        400: "Invalid body (a comment of only spaces)",
        403: "Not a specialist",
        404: "No such ticket (or not on a served line)",
    },
)
SETTINGS = Operation(
    "GET",
    f"{V1}/lines/{{line_id}}/ticket-settings",
    "A line's ticket settings: the reply-time guard's minutes, auto-finish, working hours",
    "tickets",
    ok(tickets.LineTicketSettings),
    description="The guard: amber and red minutes of a user's unanswered wait (3 and 5 where"
    " the line sets none).",
    params=clients.LinePath,
    problems={403: "Not a specialist", 404: "No such line (or not served by the caller)"},
)
OPERATIONS = (
    START,
    TAKE,
    FINISH,
    TRANSFER,
    RATE,
    LOAD,
    STEPS,
    MONITOR,
    HISTORY,
    COMMENT,
    SETTINGS,
)
