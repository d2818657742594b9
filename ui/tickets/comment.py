"""The specialist's comment on a ticket (seed 001: "can comment on the ticket too"):
"Comment on the ticket…" (the user's context menu, Ctrl+Shift+C) sets or edits the comment
of the open user's ticket — the open one, else their last — for the colleagues of the line;
the user never sees it (the server tells it to the line's specialists only). The chat shows
each comment as a quiet system line (a step ``commented``).

A part of :class:`ui.tickets.commands.TicketCommands` (its command is bound with it); light
at import, the dialog (``comment_dialog.py``) comes when it is asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action

if TYPE_CHECKING:
    from app.core.domain import UserRow
    from contract.tickets import TicketStep
    from ui.mainwindow.desk import Desk
    from ui.mainwindow.seam import Core
    from ui.tickets.comment_dialog import CommentDialog


class TicketComments:
    _desk: Desk
    comment_dialog: CommentDialog | None = None

    def _init_comments(self) -> None:
        self._last_ticket: dict[int, int] = {}  # chat id → its last ticket seen in steps
        self._comments: dict[int, str] = {}  # ticket id → its comment
        self._transferred: set[int] = set()  # tickets seen transferred (a step says so)

    def remember_step(self, step: TicketStep) -> None:
        from contract.tickets import StepKind

        self._last_ticket[step.chat_id] = max(
            self._last_ticket.get(step.chat_id, 0), step.ticket_id
        )
        if step.kind is StepKind.COMMENTED:
            self._comments[step.ticket_id] = step.note
        elif step.kind is StepKind.TRANSFERRED:
            self._transferred.add(step.ticket_id)

    def comment_target(self, row: UserRow | None) -> int | None:
        """The ticket a comment goes to: the user's open one, else their chat's last."""
        if row is None:
            return None
        if row.open_ticket is not None:
            return row.open_ticket.id
        return self._last_ticket.get(row.chat_id) if row.chat_id else None

    @add_action(
        MainAction.COMMENT_TICKET,
        text=QT_TRANSLATE_NOOP("Actions", "Comment on the ticket…"),
        tip=QT_TRANSLATE_NOOP(
            "Actions",
            "A comment on the user's ticket for your colleagues (the user does not see it)",
        ),
        shortcut=QT_TRANSLATE_NOOP("Actions", "Ctrl+Shift+C"),
        enabled=False,
        user=True,
    )
    def comment(self) -> None:
        from ui.tickets.comment_dialog import CommentDialog

        workplace, user_id = self._desk.workplace, self._desk.user_id
        row = self._desk.row(user_id) if user_id is not None else None
        ticket_id = self.comment_target(row)
        if workplace is None or ticket_id is None:
            return
        before = self._comments.get(ticket_id, "")
        dialog = CommentDialog(before, self._comment_parent())
        self.comment_dialog = dialog

        def done(result: int) -> None:
            self.comment_dialog = None
            text = dialog.text()
            if result == dialog.DialogCode.Accepted.value and text and text != before:
                self._desk.spawn(self._save_comment(workplace, ticket_id, text))
            dialog.deleteLater()

        dialog.finished.connect(done)
        dialog.open()
        dialog.editor.setFocus()

    async def _save_comment(self, workplace: Core, ticket_id: int, text: str) -> None:
        from app.tickets.part import COMMENT

        step = await workplace.act(COMMENT, ticket_id, text)  # a refusal: said by the core
        if step is not None:
            self.show_step(step)

    def show_step(self, step: TicketStep) -> None:
        raise NotImplementedError

    def _comment_parent(self) -> Any:
        raise NotImplementedError
