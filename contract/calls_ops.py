"""The operations of call records (``contract.calls``)."""

from __future__ import annotations

from contract import calls, chats
from contract.operation import V1, Operation, Reply, ok

_CALL = {404: "No such call (or not visible to the caller)"}
_SPECIALIST = {403: "Not a specialist", **_CALL}

CREATE = Operation(
    "POST",
    f"{V1}/calls",
    "A call of a served line begins ringing (specialists)",
    "calls",
    {201: Reply("Created", calls.CallRecord), 200: Reply("Known already", calls.CallRecord)},
    description="Idempotent by sip_call_id (the same call rung at several specialists is"
    " one record). Opens a ticket in the user's chat on the line if none is open. Emits"
    " call.updated.",
    body=calls.NewCall,
    problems={
        403: "Not a specialist; or the user is disconnected from the line (`disconnected`)",
        404: "No such line or user (or not served)",
    },
)
GET = Operation(
    "GET",
    f"{V1}/calls/{{call_id}}",
    "One call record",
    "calls",
    ok(calls.CallRecord),
    params=calls.CallPath,
    problems=_CALL,
)
REPORT = Operation(
    "POST",
    f"{V1}/calls/{{call_id}}/report",
    "The call was answered (by the caller) or ended with its result",
    "calls",
    ok(calls.CallRecord),
    params=calls.CallPath,
    body=calls.CallReport,
    problems={
        **_SPECIALIST,
        400: "ended without a result, or a result with another state",
        409: "Not a change this call can make (answered by another, or ended)",
    },
)
COMMENT = Operation(
    "PUT",
    f"{V1}/calls/{{call_id}}/comment",
    "The one-line comment after a call (the specialist who took it)",
    "calls",
    ok(calls.CallRecord),
    params=calls.CallPath,
    body=calls.CallComment,
    problems={**_SPECIALIST, 409: "The call has not ended"},
)
RING = Operation(
    "GET",
    f"{V1}/call-ring",
    "Who an incoming call of the line rings, as the ticket routing decides",
    "calls",
    ok(calls.RingTargets),
    description="With the caller's address: a known caller's ticket holder when at work (Free"
    " or Busy for new tickets), else the routing's choice for a new ticket; otherwise, and"
    " for an unknown caller, every Free specialist of the line. Each specialist's client"
    " rings only when named (others answer 480, so the PBX's fork ends at them). With the"
    " call's SIP Call-ID the first question decides for the call and the later ones are told"
    " the same, so a fork never rings two specialists, or none, because the routing moved.",
    params=calls.RingQuery,
    problems={403: "Not a specialist", 404: "No such line (or not served)"},
)
CALLER = Operation(
    "GET",
    f"{V1}/call-caller",
    "Who is calling: the client users of the caller's lines with this login or phone",
    "calls",
    ok(calls.CallerMatches),
    description="The address's user part is compared with the users' logins, and its digits"
    " (at least 5; the last 10, so +7 and 8 prefixes agree) with their phones. Only users of"
    " lines the specialist serves; at most 5, the line's own first.",
    params=calls.CallerQuery,
    problems={403: "Not a specialist"},
)
OF_CHAT = Operation(
    "GET",
    f"{V1}/chats/{{chat_id}}/calls",
    "The calls of a chat, oldest first (the lines of its timeline)",
    "calls",
    ok(calls.CallRecords),
    description="The chat's specialists (its line's) and its user see them; live through"
    " call.updated.",
    params=chats.ChatPath,
    problems={404: "No such chat (or not visible to the caller)"},
)
_OGG = {"schema": {"type": "string", "contentMediaType": calls.RECORDING_TYPE}}
PUT_RECORDING = Operation(
    "PUT",
    f"{V1}/calls/{{call_id}}/recording",
    "The call's recording, after the call (the specialist who took it)",
    "calls",
    ok(calls.CallRecord, "Stored: the record, its recording named"),
    description="The raw body is the recording (not multipart): Ogg Opus (RFC 7845), both"
    " directions — the specialist on the left channel, the other side on the right. Its type"
    " is read from its first Ogg page (OpusHead), whatever Content-Type says. At most"
    f" {calls.MAX_RECORDING} bytes unless the server is started with another"
    " --max-recording-size. Sending it again replaces it (a retried upload is harmless)."
    " Emits call.updated.",
    params=calls.CallPath,
    body_media={calls.RECORDING_TYPE: _OGG},
    problems={
        403: "Not the call's specialist",
        404: "No such call (or not visible to the caller)",
        413: "Larger than the server's cap (nothing stored)",
        415: "Not Ogg Opus (empty, or its first page is not an Ogg page carrying OpusHead)",
    },
)
GET_RECORDING = Operation(
    "GET",
    f"{V1}/calls/{{call_id}}/recording",
    "The call's recording (Ogg Opus, as an attachment)",
    "calls",
    {
        200: Reply(
            "The recording",
            media={calls.RECORDING_TYPE: {}},
            headers={"Content-Disposition": {"schema": {"type": "string"}}},
        )
    },
    description="Whoever may see the call: the specialists of its line and its user.",
    params=calls.CallPath,
    problems={404: "No such call or no recording yet (or not visible to the caller)"},
)
STATS = Operation(
    "GET",
    f"{V1}/call-stats",
    "Calls per specialist on a served line (for reports; seed 001: call statistics)",
    "calls",
    ok(calls.CallStats),
    params=calls.CallStatsQuery,
    problems={403: "Not a specialist", 404: "No such line (or not served)"},
)
OPERATIONS: tuple[Operation, ...] = (
    CREATE,
    GET,
    REPORT,
    COMMENT,
    PUT_RECORDING,
    GET_RECORDING,
    RING,
    CALLER,
    OF_CHAT,
    STATS,
)
