"""What telephony tells the window, as codes (the words live in ui/calls/texts.py)."""

from __future__ import annotations

from enum import StrEnum, unique


@unique
class CallState(StrEnum):
    CALLING = "calling"  # ours, no answer yet
    RINGING = "ringing"  # theirs ringing at us, or ours ringing at them (180)
    CONNECTED = "connected"
    ENDED = "ended"


@unique
class EndReason(StrEnum):
    HUNG_UP = "hung_up"  # by us
    REMOTE_HUNG_UP = "remote_hung_up"
    BUSY = "busy"
    DECLINED = "declined"
    CANCELLED = "cancelled"  # we stopped calling
    MISSED = "missed"  # they stopped calling before we answered
    NO_ANSWER = "no_answer"
    NO_COMMON_CODEC = "no_common_codec"
    UNREACHABLE = "unreachable"  # nothing answered on the wire
    LOST = "lost"  # the other side vanished mid-call: no audio, or the session not refreshed
    FAILED = "failed"  # a final response we could not do anything with (status kept)
    TRANSFERRED = "transferred"  # handed to another number by us (REFER), which answered

    @classmethod
    def of_status(cls, status: int) -> EndReason:
        """Why an outgoing call ended, from its INVITE's final response (3xx–6xx)."""
        return _BY_STATUS.get(status, cls.FAILED)


_BY_STATUS = {
    486: EndReason.BUSY,
    600: EndReason.BUSY,
    603: EndReason.DECLINED,
    487: EndReason.CANCELLED,
    408: EndReason.NO_ANSWER,
    480: EndReason.NO_ANSWER,
    488: EndReason.NO_COMMON_CODEC,
    606: EndReason.NO_COMMON_CODEC,
}


REFUSALS = {
    603: ("Decline", EndReason.DECLINED),  # the specialist said no
    486: ("Busy Here", EndReason.BUSY),  # no line free (a third call at once)
    # Do not disturb: RFC 3261 §21.4.18 names it, and a PBX may try someone else; to the
    # specialist afterwards a missed call
    480: ("Temporarily Unavailable", EndReason.MISSED),
}
"""How we refuse a ringing call (``Call.decline``): status → (reason phrase, how it ends)."""


@unique
class RegistrationState(StrEnum):
    NOT_CONFIGURED = "not_configured"
    REGISTERING = "registering"
    REGISTERED = "registered"
    FAILED = "failed"


@unique
class RegistrationProblem(StrEnum):
    WRONG_PASSWORD = "wrong_password"  # noqa: S105 - a code, not a password
    NO_ANSWER = "no_answer"
    REJECTED = "rejected"
    UNREACHABLE = "unreachable"


@unique
class AudioProblem(StrEnum):
    NO_AUDIO = "no_audio"  # PortAudio missing or the device could not be opened


@unique
class TransferState(StrEnum):
    ASKING = "asking"  # the REFER is on its way
    TRYING = "trying"  # accepted (202): the other side calls the target
    DONE = "done"  # the target answered: the call was handed over
    FAILED = "failed"  # refused, or the target did not answer (status kept)
