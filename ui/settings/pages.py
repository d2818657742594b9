"""The Settings dialog's pages, each registered by the feature it configures.

A feature declares its page by decorating the widget class that shows it:

    @settings_page(30, QT_TRANSLATE_NOOP("Settings", "Remote desktop"))
    class RemotePage(QWidget):
        def __init__(self, desk: Desk, parent: QWidget | None = None) -> None: ...

The declaration is recorded when the feature's module is imported (import the page module
from the feature's pane, as the actions registry is fed, ui/mainwindow/actions.py). The
dialog shows `pages()` in their order. A page applies each change at once (it writes the
setting and tells the part that uses it); the dialog has no OK/Cancel of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple, TypeVar

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.mainwindow.desk import Desk

CONTEXT = "Settings"
"""The translation context of the pages' titles."""

PageFactory = Callable[["Desk"], "QWidget"]
W = TypeVar("W", bound=type)


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks `source` for pyside6-lupdate (the dialog translates it when it shows it)."""
    return source


class PageSpec(NamedTuple):
    order: int
    title: str  # marked with QT_TRANSLATE_NOOP("Settings", …), translated when shown
    factory: PageFactory


_PAGES: dict[str, PageSpec] = {}


def settings_page(order: int, title: str) -> Callable[[W], W]:
    """Registers the decorated widget class as a page; `order` places it (10, 20, …)."""

    def register(cls: W) -> W:
        _PAGES[f"{cls.__module__}.{cls.__qualname__}"] = PageSpec(order, title, cls)
        return cls

    return register


def pages() -> list[PageSpec]:
    """Every registered page, in order."""
    return sorted(_PAGES.values(), key=lambda spec: (spec.order, spec.title))
