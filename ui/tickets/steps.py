"""A ticket's life as quiet system lines of its chat: the steps (``contract.tickets``) in
words, put among the messages by time (``ChatModel.insert_step``, shown by the chat's
delegate through ``STEP_ROLE``). A user's comment or a handover note is plain text (the
delegate draws text, never markup)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from app.core.domain import Author, Message
from contract.tickets import Opener, StepKind, Tier
from contract.types import AccountKind
from ui.common.text import fill, preview_line, quoted
from ui.tickets.holder import short_name, translate

if TYPE_CHECKING:
    from contract.tickets import TicketStep


NOTE_SHOWN = 48  # characters of a disconnection's reason in its one-line step


def step_text(step: TicketStep) -> str:
    # one line of the chat: every name and note from people on one line, isolated
    who = preview_line(short_name(step.specialist_name or "")) or QCoreApplication.translate(
        "Tickets", "a colleague"
    )
    before = preview_line(
        short_name(step.from_specialist_name or "")
    ) or QCoreApplication.translate("Tickets", "a colleague")
    note = " " + quoted(preview_line(step.note)) if step.note else ""
    k = step.kind
    if k is StepKind.OPENED:
        if step.via is Opener.START:
            return translate("Tickets", "%1 started work").replace("%1", who)
        return {
            Opener.FILE: translate("Tickets", "Ticket opened by a file"),
            Opener.CALL: translate("Tickets", "Ticket opened by a call"),
            Opener.REMOTE: QCoreApplication.translate(
                "Tickets", "Ticket opened by a remote session"
            ),
        }.get(
            step.via or Opener.MESSAGE,
            translate("Tickets", "Ticket opened by a message"),
        )
    if k is StepKind.ASSIGNED:
        if step.from_specialist_id:
            text = QCoreApplication.translate(
                "Tickets", "%2 does not disturb: the ticket went to %1"
            )
            return fill(text, who, before)
        return translate("Tickets", "The ticket went to %1").replace("%1", who)
    if k is StepKind.QUEUED:
        if step.from_specialist_id:
            return QCoreApplication.translate(
                "Tickets", "%2 does not disturb: the ticket waits in the queue"
            ).replace("%2", before)
        return translate("Tickets", "The ticket waits in the queue")
    if k is StepKind.OUT_OF_HOURS:
        return QCoreApplication.translate(
            "Tickets", "Outside the line's working hours: the ticket waits for them"
        )
    if k is StepKind.TAKEN:
        if step.from_specialist_id:
            return fill(translate("Tickets", "%1 took the ticket from %2"), who, before)
        return translate("Tickets", "%1 took the ticket").replace("%1", who)
    if k is StepKind.TRANSFERRED and step.line_name:
        text = translate("Tickets", "%2 transferred the ticket to the line “%3”")
        text = fill(text, "", before, preview_line(step.line_name))
        if step.specialist_id:
            text += " → " + who
        return text + note
    if k is StepKind.TRANSFERRED and step.tier is not None:
        text = (
            translate("Tickets", "%2 transferred the ticket to the second line (vendor)")
            if step.tier is Tier.SECOND
            else translate("Tickets", "%2 transferred the ticket back to the first line")
        ).replace("%2", before)
        if step.specialist_id:
            text += " → " + who
        return text + note
    if k is StepKind.TRANSFERRED:
        text = fill(translate("Tickets", "%2 transferred the ticket to %1"), who, before)
        return text + note
    if k is StepKind.FINISHED:
        if step.specialist_id is None:
            return QCoreApplication.translate(
                "Tickets", "Work finished automatically (no activity)"
            )
        return translate("Tickets", "%1 finished work").replace("%1", who)
    if k is StepKind.REMOTE_SESSION:
        return (
            QCoreApplication.translate("Tickets", "%1 ended a remote session").replace("%1", who)
            + note
        )
    if k is StepKind.DISCONNECTED:  # one line of the chat: the reason's start (the panel: all)
        text = translate("Tickets", "%1 disconnected the user from the line").replace("%1", who)
        return text + (" " + quoted(preview_line(step.note, NOTE_SHOWN)) if step.note else "")
    if k is StepKind.COMMENTED:
        return translate("Tickets", "%1 commented on the ticket").replace("%1", who) + note
    if k is StepKind.RATED:
        return (
            translate("Tickets", "The user rated the work %1 of 5").replace("%1", str(step.score))
            + note
        )
    return ""


def as_line(step: TicketStep) -> Message:
    """The step as the chat model's row: a message keyed ``step:<id>`` (never sent, no id:
    paging by message ids passes it by)."""
    return Message(
        id=None,
        chat_id=step.chat_id,
        client_msg_id=f"step:{step.id}",
        author=Author(step.specialist_id or 0, AccountKind.SPECIALIST, ""),
        text=step_text(step),
        created_at=step.created_at,
        ticket_id=step.ticket_id,
    )
