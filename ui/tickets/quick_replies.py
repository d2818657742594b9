"""Quick replies: a palette (Ctrl+K) of snippets — the house's (the working rules' greeting,
"request received" first, the closing question, thanks and goodbye, the request for a
rating, the business-style warning) and the specialist's own (settings `quick_replies`) —
filtered as one types; Enter puts the chosen one, its variables filled, into the message
field (never sends it).

Variables (`string.Template`): `$name` — the user's first name and patronymic (seed 000,
4.4: address them so), `$company`, `$me` — my first name. The palette keeps the own ones:
"Keep what I am writing" adds the message field's text, Delete removes the chosen own one.
"""

from __future__ import annotations

import re
from string import Template
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.text import marked, one_line, plain_tooltip, shortened
from ui.tickets.holder import translate

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

    from app.core.domain import UserRow

# the stubs type QT_TRANSLATE_NOOP as returning object: it returns its source text
HOUSE = cast(
    "tuple[str, ...]",
    (
        QT_TRANSLATE_NOOP(
            "QuickReplies",
            "$name, good afternoon! Your request has been received. I will answer in a few"
            " minutes.",
        ),
        QT_TRANSLATE_NOOP("QuickReplies", "Hello, $name!"),
        QT_TRANSLATE_NOOP("QuickReplies", "Is there anything else I can help you with?"),
        QT_TRANSLATE_NOOP("QuickReplies", "Thank you for contacting us, $name! All the best."),
        QT_TRANSLATE_NOOP(
            "QuickReplies",
            "$name, thank you for contacting us! Please rate our work when the request is"
            " closed: your rating helps us make our support better.",
        ),
        QT_TRANSLATE_NOOP(
            "QuickReplies",
            "Let us keep our conversation businesslike and respectful; otherwise the rules"
            " require me to end it.",
        ),
        QT_TRANSLATE_NOOP(
            "QuickReplies",
            "$name, this support line does not answer such questions. I will transfer your"
            " request to the line you have that deals with them.",
        ),
        QT_TRANSLATE_NOOP(
            "QuickReplies",
            "$name, the support line that deals with such questions is not connected for you."
            " It can be connected: shall I tell you how?",
        ),
        QT_TRANSLATE_NOOP(
            "QuickReplies",
            "The product team decides when the service changes. I will pass your wish on, but"
            " I cannot name a date.",
        ),
        QT_TRANSLATE_NOOP(
            "QuickReplies",
            "Setting up business processes is up to your account manager. I will pass your"
            " question on, and they will contact you.",
        ),
    ),
)
"""The serving company's snippets, sent in the interface's language (Russian's are the
house's own words; seed 000: 4.2, 4.4, 4.13; seed 001: thank the user and ask for a rating
before finishing; seed 004's warning; seed 000 4.9: a question for another line —
transferred there, or that line offered; seed 004's limits: no timelines of the product's
changes, no false hopes; business scenarios go to the company's manager)."""
OWN_ROLE = 0x0100 + 1
TEXT_ROLE = 0x0100 + 2
FULL_ROLE = 0x0100 + 3
"""The snippet as it goes into the message field (its variables filled); the item shows
:func:`shown_text`."""
SNIPPET_SHOWN = 240
"""Characters of a snippet the list shows (about four wrapped lines at the palette's width);
a longer one ends in "…" and its tooltip holds it whole."""
TIP_SHOWN = 2000
_RUN = re.compile(r"(\S{30})(?=\S)")


def shown_text(text: str) -> str:
    """A snippet as its item shows it: on one line, cut at SNIPPET_SHOWN, and breakable every
    30 characters of a run without spaces (a link, a long word), so that the list wraps it
    within its width instead of scrolling sideways."""
    return _RUN.sub("\\1\u200b", one_line(text, SNIPPET_SHOWN))


def variables(row: UserRow | None, my_full_name: str) -> dict[str, str]:
    """«Фамилия Имя Отчество» → $name «Имя Отчество»; $company; $me «Имя». Each on one line
    and without bidi controls: the snippet is sent on, and an override in a name would turn
    the rest of it round in the composer and at the user's."""
    from ui.common.text import plain_words

    parts = plain_words(row.full_name).split() if row is not None else []
    name = " ".join(parts[1:]) if len(parts) > 1 else (parts[0] if parts else "")
    company = row.company.name if row is not None and row.company is not None else ""
    company = plain_words(company)
    mine = plain_words(my_full_name).split()
    return {"name": name, "company": company, "me": mine[1] if len(mine) > 1 else " ".join(mine)}


def expand(snippet: str, values: dict[str, str]) -> str:
    return Template(snippet).safe_substitute(values)


class _Filter(QLineEdit):
    def __init__(self, palette: QuickReplies) -> None:
        super().__init__()
        self._palette = palette

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self._palette.step(1 if key == Qt.Key.Key_Down else -1)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._palette.choose()
            return
        super().keyPressEvent(event)


class QuickReplies(QDialog):
    def __init__(
        self, own: list[str], values: dict[str, str], writing: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("quickReplies")
        self.setWindowTitle(translate("Tickets", "Quick replies"))
        self.own = list(own)
        self.values = values
        self.writing = writing
        self.chosen_text: str | None = None
        layout = QVBoxLayout(self)
        self.filter = _Filter(self)
        self.filter.setObjectName("quickFilter")
        self.filter.setPlaceholderText(translate("Tickets", "Type to filter, Enter to insert"))
        self.filter.textChanged.connect(self._refilter)
        layout.addWidget(self.filter)
        self.items = QListWidget()
        self.items.setObjectName("quickItems")
        self.items.setWordWrap(True)  # a long snippet wraps, never scrolls sideways
        self.items.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.items.setAlternatingRowColors(True)  # where one wrapped snippet ends
        self.items.itemActivated.connect(lambda _item: self.choose())
        layout.addWidget(self.items, 1)
        row = QHBoxLayout()
        self.keep = QPushButton(translate("Tickets", "Keep what I am writing"))
        self.keep.setObjectName("quickKeep")
        self.keep.setEnabled(bool(writing.strip()))
        self.keep.clicked.connect(self._keep)
        row.addWidget(self.keep)
        self.remove = QPushButton(translate("Tickets", "Remove"))
        self.remove.setObjectName("quickRemove")
        self.remove.clicked.connect(self._remove)
        row.addWidget(self.remove)
        layout.addLayout(row)
        self._fill()
        self.resize(520, 360)

    def _fill(self) -> None:
        self.items.clear()
        for own, snippets in ((False, HOUSE), (True, self.own)):
            for source in snippets:
                snippet = source if own else translate("QuickReplies", source)
                text = expand(snippet, self.values)
                item = QListWidgetItem(shown_text(text))
                item.setData(OWN_ROLE, own)
                item.setData(TEXT_ROLE, snippet)
                item.setData(FULL_ROLE, text)
                if len(text) > SNIPPET_SHOWN or "\n" in text.strip():
                    item.setToolTip(plain_tooltip(marked(shortened(text, TIP_SHOWN))))
                self.items.addItem(item)
        self._refilter(self.filter.text())

    def _refilter(self, text: str) -> None:
        words = text.casefold().split()
        first = None
        for r in range(self.items.count()):
            item = self.items.item(r)
            hide = not all(w in str(item.data(FULL_ROLE)).casefold() for w in words)
            item.setHidden(hide)
            if not hide and first is None:
                first = item
        if first is not None:
            self.items.setCurrentItem(first)
        else:
            self.items.setCurrentRow(-1)
        self._enable()

    def _enable(self) -> None:
        item = self.items.currentItem()
        self.remove.setEnabled(item is not None and bool(item.data(OWN_ROLE)))

    def step(self, step: int) -> None:
        visible = [r for r in range(self.items.count()) if not self.items.item(r).isHidden()]
        if not visible:
            return
        now = self.items.currentRow()
        at = visible.index(now) if now in visible else -1
        self.items.setCurrentRow(visible[max(0, min(len(visible) - 1, at + step))])
        self._enable()

    def choose(self) -> None:
        item = self.items.currentItem()
        if item is not None and not item.isHidden():
            self.chosen_text = str(item.data(FULL_ROLE))
            self.accept()

    def _keep(self) -> None:
        self.own.append(self.writing.strip())
        self.keep.setEnabled(False)
        self._fill()

    def _remove(self) -> None:
        item = self.items.currentItem()
        if item is not None and item.data(OWN_ROLE):
            self.own.remove(str(item.data(TEXT_ROLE)))
            self._fill()
