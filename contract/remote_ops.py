"""The operations of remote sessions (``contract.remote``)."""

from __future__ import annotations

from contract import remote
from contract.operation import V1, Operation, Reply, ok

_SESSION = {404: "No such session (or not visible to the caller)"}
_SPECIALIST = {403: "Not a specialist", **_SESSION}

CREATE = Operation(
    "POST",
    f"{V1}/remote-sessions",
    "Ask for a remote session with a user of a served line (specialists)",
    "remote",
    {201: Reply("Created", remote.RemoteSession)},
    description="By request: the state is requested until the user answers (or"
    f" {remote.REQUEST_TIMEOUT} s pass: timed_out). By password: accepted at once. Opens a"
    " ticket in the user's chat on the line if none is open. Emits remote.updated.",
    body=remote.NewRemoteSession,
    problems={
        403: "Not a specialist; or the user is disconnected from the line (`disconnected`)",
        404: "No such line or user (or not served)",
    },
)
GET = Operation(
    "GET",
    f"{V1}/remote-sessions/{{session_id}}",
    "One remote session",
    "remote",
    ok(remote.RemoteSession),
    params=remote.RemotePath,
    problems=_SESSION,
)
LIVE = Operation(
    "GET",
    f"{V1}/remote-sessions",
    "The caller's sessions not yet ended (a specialist's own; a user's on their side)",
    "remote",
    ok(remote.RemoteSessions),
)
ANSWER = Operation(
    "POST",
    f"{V1}/remote-sessions/{{session_id}}/answer",
    "The user accepts (publishing how to reach the host) or declines (client users)",
    "remote",
    ok(remote.RemoteSession),
    params=remote.RemotePath,
    body=remote.RemoteAnswer,
    problems={
        **_SESSION,
        403: "Not the session's user; or an acceptance by a user disconnected from the line since"
        " (`disconnected`)",
        409: "Not waiting for an answer (answered, timed out or ended)",
        400: "Accepted without reach, or reach without what its via needs",
    },
)
REPORT = Operation(
    "POST",
    f"{V1}/remote-sessions/{{session_id}}/report",
    "The viewer's outcome: connected, ended, failed, timed_out; or where a reverse viewer"
    " listens (the session's specialist)",
    "remote",
    ok(remote.RemoteSession),
    params=remote.RemotePath,
    body=remote.RemoteReport,
    problems={
        **_SPECIALIST,
        400: "Not a state a viewer reports, or accepted without a reverse reach",
        409: "Not a change this session can make",
    },
)
COMMENT = Operation(
    "PUT",
    f"{V1}/remote-sessions/{{session_id}}/comment",
    "The one-line comment after a session (the session's specialist)",
    "remote",
    ok(remote.RemoteSession),
    params=remote.RemotePath,
    body=remote.RemoteComment,
    problems={**_SPECIALIST, 409: "The session has not ended"},
)
STATS = Operation(
    "GET",
    f"{V1}/remote-stats",
    "Remote sessions per specialist on a served line (for reports)",
    "remote",
    ok(remote.RemoteStats),
    params=remote.RemoteStatsQuery,
    problems={403: "Not a specialist", 404: "No such line (or not served)"},
)
OPERATIONS: tuple[Operation, ...] = (CREATE, GET, LIVE, ANSWER, REPORT, COMMENT, STATS)
