"""The ticket commands of the open user: "Start work" and "Finish work", and who holds the
ticket in the chat header.

"Start work" applies while the user has no ticket or an unheld (queued) one; "Finish work"
only to my own ticket, and asks first when the user's last message has no answer yet (seed
000, 4.14: a question is not left unsolved). Both go through the core (`app/tickets`); the
server decides, and a refusal (a colleague took it a moment ago…) is said in words.

Imported with the window's first frame (its commands have buttons in the function bar), so
it stays light: the core is reached only after the first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action
from ui.tickets.comment import TicketComments
from ui.tickets.holder import AMBER_MINUTES, HOLDERS, LEVEL_COLOURS, RED_MINUTES

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QMessageBox

    from app.core import changes as ch
    from app.core.domain import UserCard, UserRow
    from contract.tickets import TicketStep
    from ui.chat.model import ChatModel
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.commands import Command
    from ui.mainwindow.desk import Desk
    from ui.mainwindow.seam import Core
    from ui.tickets.quick_replies import QuickReplies
    from ui.tickets.transfer import TransferDialog

TICK_MS = 30_000  # the waiting time in the header moves on by itself


class TicketCommands(TicketComments, QObject):
    _desk: Desk
    _start: Command
    _finish: Command
    label: QLabel
    confirm: QMessageBox | None = None
    transfer_dialog: TransferDialog | None = None
    quick_palette: QuickReplies | None = None
    guard_line_id: int | None = None
    _card: UserCard | None = None

    def complete(self, desk: Desk) -> None:
        from PySide6.QtWidgets import QLabel

        self._desk = desk
        self._start = desk.actions[MainAction.START_TICKET]
        self._finish = desk.actions[MainAction.FINISH_TICKET]
        self._transfer = desk.actions[MainAction.TRANSFER_TICKET]
        self._comment = desk.actions[MainAction.COMMENT_TICKET]
        self._init_comments()
        HOLDERS.amber, HOLDERS.red = AMBER_MINUTES, RED_MINUTES  # until the line's are here
        desk.actions.bind(self)
        desk.sig_user_opened.connect(self._user_opened)
        self.label = QLabel()
        self.label.setObjectName("chatTicket")
        self.label.setStyleSheet("color: palette(placeholder-text);")
        window: Any = self.parent()
        window.chat.bar.add_line(self.label)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.refresh)
        self._tick.start()

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.UserChanged, self._on_user_changed)
        bridge.handle(ch.SignedIn, self._on_signed_in)
        bridge.handle(ch.ColleagueChanged, self._on_colleague)
        bridge.handle(ch.ColleaguesLoaded, self._on_colleagues)
        bridge.handle(ch.ChatOpened, self._on_chat_opened)
        bridge.handle(ch.TicketStepAdded, self._on_step)
        bridge.handle(ch.UsersReset, self._on_users_reset)
        bridge.handle(ch.CardLoaded, self._on_card)

    def attach(self, workplace: Core) -> None:
        if workplace.me is not None:
            HOLDERS.my_id = workplace.me.id
        HOLDERS.names.update({c.id: c.full_name for c in workplace.colleagues.values()})
        HOLDERS.clock = workplace.server_now  # (the workstation's clock may be hours off)

    @add_action(
        MainAction.START_TICKET,
        text=QT_TRANSLATE_NOOP("Actions", "Start work"),
        tip=QT_TRANSLATE_NOOP("Actions", "Take this user's ticket (or open one) as yours"),
        enabled=False,
        bar=True,
        user=True,
    )
    def start(self) -> None:
        workplace, user_id = self._desk.workplace, self._desk.user_id
        if workplace is not None and user_id is not None:
            from app.tickets.part import START

            self._start.setEnabled(False)  # until the server answers (the row changes)
            self._desk.spawn(self._settle(workplace.act(START, user_id), user_id))

    @add_action(
        MainAction.FINISH_TICKET,
        text=QT_TRANSLATE_NOOP("Actions", "Finish work"),
        tip=QT_TRANSLATE_NOOP("Actions", "Finish your ticket with this user"),
        enabled=False,
        bar=True,
        user=True,
    )
    def finish(self) -> None:
        user_id = self._desk.user_id
        row = self._desk.row(user_id) if user_id is not None else None
        if row is None:
            return
        if unanswered(row):
            self._ask_first(row)
        else:
            self._finish_now(row.id)

    @add_action(
        MainAction.TRANSFER_TICKET,
        text=QT_TRANSLATE_NOOP("Actions", "Transfer"),
        tip=QT_TRANSLATE_NOOP("Actions", "Transfer the ticket to a Free colleague of the line"),
        enabled=False,
        bar=True,
        user=True,
    )
    def transfer(self) -> None:
        workplace, user_id = self._desk.workplace, self._desk.user_id
        if workplace is not None and user_id is not None:
            self._desk.spawn(self._choose_colleague(workplace, user_id))

    async def _choose_colleague(self, workplace: Core, user_id: int) -> None:
        from app.tickets.part import LOAD, TRANSFER
        from ui.tickets.transfer import TransferDialog

        load = await workplace.act(LOAD)
        if load is None or user_id != self._desk.user_id:
            return
        card = self._card if self._card is not None and self._card.row.id == user_id else None
        others = card.other_lines if card is not None else ()
        row = self._desk.row(user_id)
        ticket = row.open_ticket if row is not None else None
        again = ticket is not None and ticket.id in self._transferred
        dialog = TransferDialog(load, HOLDERS.my_id, self._desk_window(), others, again)
        self.transfer_dialog = dialog

        def done(result: int) -> None:
            self.transfer_dialog = None
            target = dialog.target()
            if result == dialog.DialogCode.Accepted.value and target is not None:
                self._transfer.setEnabled(False)  # until the server answers
                to, tier, line = target
                work = workplace.act(TRANSFER, user_id, to, dialog.note_text(), tier, line)
                self._desk.spawn(self._settle(work, user_id))
            dialog.deleteLater()

        dialog.finished.connect(done)
        dialog.open()
        dialog.search.setFocus()

    @add_action(
        MainAction.QUICK_REPLY,
        text=QT_TRANSLATE_NOOP("Actions", "Quick replies"),
        tip=QT_TRANSLATE_NOOP("Actions", "A snippet into the message field (type to filter)"),
        shortcut=QT_TRANSLATE_NOOP("Actions", "Ctrl+K"),
    )
    def quick_reply(self) -> None:
        from ui.tickets.quick_replies import QuickReplies, variables

        workplace, user_id = self._desk.workplace, self._desk.user_id
        if workplace is None or user_id is None:
            return
        window: Any = self.parent()
        composer = window.chat.composer
        settings: Any = getattr(workplace, "settings", None)
        me = workplace.me.full_name if workplace.me is not None else ""
        values = variables(self._desk.row(user_id), me)
        own = list(settings.quick_replies) if settings is not None else []
        palette = QuickReplies(own, values, composer.toPlainText(), window)
        self.quick_palette = palette

        def done(_result: int) -> None:
            self.quick_palette = None
            if settings is not None and palette.own != own:
                settings.quick_replies = palette.own
                settings.save()
            if palette.chosen_text is not None and user_id == self._desk.user_id:
                composer.insertPlainText(palette.chosen_text)
                composer.setFocus()
            palette.deleteLater()

        palette.finished.connect(done)
        palette.open()
        palette.filter.setFocus()

    def _ask_first(self, row: UserRow) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self._desk_window())
        box.setObjectName("finishConfirm")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Finish work"))
        box.setText(self.tr("The user's last message has no answer yet. Finish anyway?"))
        box.setInformativeText(
            self.tr("Do not finish while the question is not solved: transfer it instead.")
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        user_id = row.id

        def done(answer: int) -> None:
            self.confirm = None
            if answer == QMessageBox.StandardButton.Yes.value:
                self._finish_now(user_id)

        box.finished.connect(done)
        self.confirm = box
        box.open()

    def _finish_now(self, user_id: int) -> None:
        workplace = self._desk.workplace
        if workplace is not None:
            self._finish.setEnabled(False)  # until the server answers (the row changes)
            self._desk.spawn(self._settle(workplace.finish_ticket(user_id), user_id))

    async def _settle(self, work: Any, user_id: int) -> None:
        """The command's outcome; a refusal is shown by the core (words), the commands
        follow the row again."""
        try:
            await work
        finally:
            if user_id == self._desk.user_id:
                self._show(self._desk.row(user_id))

    def _desk_window(self) -> Any:
        return self.parent()

    def _comment_parent(self) -> Any:
        return self.parent()

    def _user_opened(self, user_id: int) -> None:
        self._show(self._desk.row(user_id))

    def _on_user_changed(self, change: ch.UserChanged) -> None:
        if change.row.id == self._desk.user_id:
            self._show(change.row)

    def _on_card(self, change: ch.CardLoaded) -> None:
        self._card = change.card  # the open user's: their other lines, for a transfer

    def _on_signed_in(self, change: ch.SignedIn) -> None:
        HOLDERS.my_id = change.me.id

    def _on_colleague(self, change: ch.ColleagueChanged) -> None:
        HOLDERS.names[change.colleague.id] = change.colleague.full_name

    def _on_colleagues(self, change: ch.ColleaguesLoaded) -> None:
        """Their names, for the holder of a ticket (loaded after the window was attached:
        every colleague's ticket read "With a colleague" until a colleague's change)."""
        HOLDERS.names.update({c.id: c.full_name for c in change.colleagues})
        self.refresh()

    def _on_users_reset(self, change: ch.UsersReset) -> None:
        """Another line: its reply-time guard's minutes from its settings on the server."""
        workplace = self._desk.workplace
        if workplace is not None and change.line_id != self.guard_line_id:
            self.guard_line_id = change.line_id
            self._desk.spawn(self._load_guard(workplace, change.line_id))

    async def _load_guard(self, workplace: Core, line_id: int) -> None:
        from app.tickets.part import SETTINGS

        settings = await workplace.act(SETTINGS, line_id)
        if settings is not None and line_id == self.guard_line_id:
            HOLDERS.amber, HOLDERS.red = settings.guard_amber_minutes, settings.guard_red_minutes
            self.refresh()

    def _on_chat_opened(self, change: ch.ChatOpened) -> None:
        """The chat's ticket steps, put among its messages once they are here."""
        workplace = self._desk.workplace
        if workplace is not None:
            self._desk.spawn(self._load_steps(workplace, change.chat_id))

    async def _load_steps(self, workplace: Core, chat_id: int) -> None:
        from app.tickets.part import STEPS
        from ui.tickets.steps import as_line

        steps = await workplace.act(STEPS, chat_id) or []
        for step in steps:
            self.remember_step(step)
        model = self._chat_model()
        if model.chat_id == chat_id:
            for step in steps:
                model.insert_step(as_line(step))
        self.refresh()  # a comment goes to the chat's last ticket, now known

    def _on_step(self, change: ch.TicketStepAdded) -> None:
        self.show_step(change.step)

    def show_step(self, step: TicketStep) -> None:
        """A step of a ticket: remembered (the comments), a system line if its chat is open."""
        from ui.tickets.steps import as_line

        self.remember_step(step)
        model = self._chat_model()
        if model.chat_id == step.chat_id:
            model.insert_step(as_line(step))

    def _chat_model(self) -> ChatModel:
        window: Any = self.parent()
        model: ChatModel = window.chat.chat_model
        return model

    def refresh(self) -> None:
        """The minutes move on: the header, and the rows painted again."""
        window: Any = self.parent()
        window.users_view.viewport().update()
        user_id = self._desk.user_id
        self._show(self._desk.row(user_id) if user_id is not None else None)

    def _show(self, row: UserRow | None) -> None:
        ticket = row.open_ticket if row is not None else None
        mine = ticket is not None and ticket.specialist_id == HOLDERS.my_id
        can_start = row is not None and (ticket is None or ticket.specialist_id is None)
        can_start = can_start and not (row is not None and (row.colleague or row.disconnected))
        self._start.set_applies(can_start)
        self._start.setEnabled(can_start)
        self._finish.set_applies(mine)
        self._finish.setEnabled(mine)
        self._transfer.set_applies(mine)
        self._transfer.setEnabled(mine)
        commentable = self.comment_target(row) is not None
        self._comment.set_applies(commentable)
        self._comment.setEnabled(commentable)
        text, level = ("", 0) if row is None else HOLDERS.shown(row)
        self.label.setText(text)
        colour = LEVEL_COLOURS[level] or "palette(placeholder-text)"
        if self.label.property("guard") != level or not self.label.styleSheet():
            # a style sheet set re-polishes the label: only when the colour changes (the
            # row changes with every message of a flood into the open chat)
            self.label.setProperty("guard", level)  # the reply-time guard: amber, then red
            self.label.setStyleSheet(f"color: {colour};")


def unanswered(row: UserRow) -> bool:
    """The user's last message is the last of the chat (nobody answered it)."""
    last = row.last_message
    return last is not None and last.author_kind == "client"
