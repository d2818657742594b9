"""Telephony's codes in words a specialist understands (translated by Qt)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from telephony.problems import EndReason, RegistrationProblem, RegistrationState
from telephony.sip.registration import Registration


def _tr(text: str) -> str:
    return QCoreApplication.translate("calls", text)


def registration_text(registration: Registration) -> str:
    if registration.state is RegistrationState.REGISTERED:
        return _tr("Connected to the PBX")
    if registration.state is RegistrationState.REGISTERING:
        return _tr("Connecting to the PBX…")
    problem = registration.problem
    if problem is RegistrationProblem.WRONG_PASSWORD:
        return _tr("The PBX did not accept the login or password: check them in Settings → PBX")
    if problem in (RegistrationProblem.NO_ANSWER, RegistrationProblem.UNREACHABLE):
        return _tr("The PBX does not answer: check its address in Settings → PBX")
    return _tr("The PBX refused the connection (code {0})").format(registration.status)


END_TEXTS = {
    EndReason.HUNG_UP: "Call ended",
    EndReason.REMOTE_HUNG_UP: "The other side hung up",
    EndReason.BUSY: "Busy",
    EndReason.DECLINED: "Declined",
    EndReason.CANCELLED: "Call cancelled",
    EndReason.MISSED: "Missed call",
    EndReason.NO_ANSWER: "No answer",
    EndReason.NO_COMMON_CODEC: "The other side's phone has no audio format in common with LineDesk",
    EndReason.UNREACHABLE: "The PBX or the phone does not answer",
    EndReason.FAILED: "The call failed",
}


def end_text(reason: EndReason) -> str:
    return _tr(END_TEXTS[reason])
