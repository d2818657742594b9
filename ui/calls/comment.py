"""The one-line comment after a call (seed 000 4.11), saved to the call's record once that
is written. A record that could not be written, or a comment the server refuses, is logged:
the specialist's next call is not held up by it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QWidget

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger("linedesk.ui.calls")


def ask_comment(
    parent: QWidget,
    record: asyncio.Task[int | None] | None,
    book: Any,
    spawn: Callable[[Coroutine[Any, Any, None]], object],
) -> QInputDialog:
    """The prompt, open (not exec: the loop goes on); what is typed goes to `record`."""
    prompt = QInputDialog(parent)
    prompt.setObjectName("callComment")
    prompt.setWindowTitle(QCoreApplication.translate("CallsFeature", "Call ended"))
    prompt.setLabelText(QCoreApplication.translate("CallsFeature", "A short comment on the call:"))
    prompt.setInputMode(QInputDialog.InputMode.TextInput)

    def chosen(text: str) -> None:
        if record is not None and text.strip():
            spawn(_save(book, record, text.strip()))

    prompt.textValueSelected.connect(chosen)
    prompt.open()
    return prompt


async def _save(book: Any, record: asyncio.Task[int | None], text: str) -> None:
    record_id = await record
    if record_id is not None:
        try:
            await book.comment(record_id, text)
        except Exception:
            log.exception("the comment of call record %s was not saved", record_id)
