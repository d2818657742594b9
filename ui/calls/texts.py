"""Telephony's codes in words a specialist understands (translated by Qt, context "Calls")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from telephony.links import NotDialableReason
from telephony.problems import EndReason, RegistrationProblem, RegistrationState
from telephony.sip.registration import Registration
from ui.mainwindow.actions import QT_TRANSLATE_NOOP

CONTEXT = "Calls"


def registration_text(registration: Registration) -> str:
    if registration.state is RegistrationState.REGISTERED:
        return QCoreApplication.translate("Calls", "Connected to the PBX")
    if registration.state is RegistrationState.REGISTERING:
        return QCoreApplication.translate("Calls", "Connecting to the PBX…")
    problem = registration.problem
    if problem is RegistrationProblem.WRONG_PASSWORD:
        return QCoreApplication.translate(
            "Calls", "The PBX did not accept the login or password: check them in Settings → PBX"
        )
    if problem in (RegistrationProblem.NO_ANSWER, RegistrationProblem.UNREACHABLE):
        return QCoreApplication.translate(
            "Calls", "The PBX does not answer: check its address in Settings → PBX"
        )
    return QCoreApplication.translate("Calls", "The PBX refused the connection (code %1)").replace(
        "%1", str(registration.status)
    )


END_TEXTS = {
    EndReason.HUNG_UP: QT_TRANSLATE_NOOP("Calls", "Call ended"),
    EndReason.REMOTE_HUNG_UP: QT_TRANSLATE_NOOP("Calls", "The other side hung up"),
    EndReason.BUSY: QT_TRANSLATE_NOOP("Calls", "Busy"),
    EndReason.DECLINED: QT_TRANSLATE_NOOP("Calls", "Declined"),
    EndReason.CANCELLED: QT_TRANSLATE_NOOP("Calls", "Call cancelled"),
    EndReason.MISSED: QT_TRANSLATE_NOOP("Calls", "Missed call"),
    EndReason.NO_ANSWER: QT_TRANSLATE_NOOP("Calls", "No answer"),
    EndReason.NO_COMMON_CODEC: QT_TRANSLATE_NOOP(
        "Calls", "The other side's phone has no audio format in common with LineDesk"
    ),
    EndReason.UNREACHABLE: QT_TRANSLATE_NOOP("Calls", "The PBX or the phone does not answer"),
    EndReason.LOST: QT_TRANSLATE_NOOP("Calls", "The connection to the other side was lost"),
    EndReason.FAILED: QT_TRANSLATE_NOOP("Calls", "The call failed"),
    EndReason.TRANSFERRED: QT_TRANSLATE_NOOP("Calls", "The call was transferred"),
}


def end_text(reason: EndReason) -> str:
    return QCoreApplication.translate(CONTEXT, END_TEXTS[reason])


NOT_DIALABLE_TEXTS = {
    NotDialableReason.EMPTY: QT_TRANSLATE_NOOP("Calls", "Type a number or a SIP address"),
    NotDialableReason.NOT_A_NUMBER: QT_TRANSLATE_NOOP(
        "Calls", "A phone number has only digits, + at the start, * and #"
    ),
    NotDialableReason.BAD_ADDRESS: QT_TRANSLATE_NOOP(
        "Calls", "This SIP address is incomplete: it looks like sip:name@pbx.example.com"
    ),
    NotDialableReason.UNKNOWN_LINK: QT_TRANSLATE_NOOP(
        "Calls", "This link is not a phone number or a SIP address"
    ),
}


def not_dialable_text(reason: NotDialableReason) -> str:
    return QCoreApplication.translate(CONTEXT, NOT_DIALABLE_TEXTS[reason])
