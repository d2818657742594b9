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

from string import Template
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
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

from ui.tickets.holder import translate

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

    from app.core.domain import UserRow

HOUSE = (
    "$name, добрый день! Ваше обращение получено. Отвечу через несколько минут.",
    "Здравствуйте, $name!",
    "Могу ли я вам ещё чем-то помочь?",
    "Спасибо за ваше обращение, $name! Всего доброго.",
    "$name, спасибо за обращение! Пожалуйста, оцените нашу работу, когда обращение будет"
    " завершено: ваша оценка помогает нам сделать поддержку лучше.",
    "Давайте вернемся к разговору в деловом и уважительном стиле, в противном случае,"
    " я по инструкции должен прекратить наш разговор.",
    "$name, эта линия поддержки не отвечает на такие вопросы. Я переведу ваше обращение на"
    " подключённую у вас линию, которая ими занимается.",
    "$name, линия поддержки, которая занимается такими вопросами, у вас не подключена. Её"
    " можно подключить — подсказать, как это сделать?",
    "Сроки доработок сервиса определяет продуктовая команда. Я передам ваше пожелание, но"
    " назвать сроки не могу.",
    "Вопросы настройки бизнес-процессов курирует ответственный менеджер. Я передам ваш"
    " вопрос, он свяжется с вами.",
)
"""The serving company's snippets (seed 000: 4.2, 4.4, 4.13; seed 001: thank the user and
ask for a rating before finishing; seed 004's warning; seed 000 4.9: a question for another
line — transferred there, or that line offered; seed 004's limits: no timelines of the
product's changes, no false hopes; business scenarios go to the company's manager)."""
OWN_ROLE = 0x0100 + 1
TEXT_ROLE = 0x0100 + 2


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
            for snippet in snippets:
                item = QListWidgetItem(expand(snippet, self.values))
                item.setData(OWN_ROLE, own)
                item.setData(TEXT_ROLE, snippet)
                self.items.addItem(item)
        self._refilter(self.filter.text())

    def _refilter(self, text: str) -> None:
        words = text.casefold().split()
        first = None
        for r in range(self.items.count()):
            item = self.items.item(r)
            hide = not all(w in item.text().casefold() for w in words)
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
            self.chosen_text = item.text()
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
