"""Chat text: always plain. Only https: and mailto: become links (STYLE.md 17)."""

from __future__ import annotations

import re
from typing import Final

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument, QTextOption

ALLOWED_SCHEMES: Final = frozenset({"https", "mailto"})

# https://… up to whitespace; mailto:… up to whitespace. Trailing punctuation is not part of a link.
_LINK_RE: Final = re.compile(r"(?:https://|mailto:)[^\s<>\"]+", re.IGNORECASE)
_TRAILING: Final = ".,;:!?)]}»\"'"
# html.escape(quote=False) without importing `html` (its import compiles a large regex: ~8 ms
# before the first paint, since the users model needs this module)
_ESCAPE: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def find_links(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) for every allowed link in `text`."""
    found: list[tuple[int, int, str]] = []
    for match in _LINK_RE.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        url = text[start:end]
        lower = url.lower()
        long_enough = len(url) > len("https://") if lower.startswith("https") else "@" in url
        if long_enough and is_allowed_url(url):
            found.append((start, end, url))
    return found


def plain_tooltip(text: str) -> str:
    """`text` for a tooltip or message-box text, shown as characters: Qt guesses rich text
    there (``Qt.mightBeRichText``), so a name like ``<img src=...>`` is escaped into HTML."""
    if not text:
        return text
    return "<p>" + text.translate(_ESCAPE).replace("\n", "<br>") + "</p>"


def is_allowed_url(url: str) -> bool:
    qurl = QUrl(url, QUrl.ParsingMode.StrictMode)
    return qurl.isValid() and qurl.scheme().lower() in ALLOWED_SCHEMES


def plain_document(text: str, link_color: object | None = None) -> QTextDocument:
    """A QTextDocument holding `text` as plain text, with allowed links as anchors.

    The text is set with setPlainText: no markup in it is ever interpreted,
    so `<img src=file:///etc/passwd>` stays those characters.
    """
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    doc.setPlainText(text)
    links = find_links(text)
    if links:
        cursor = QTextCursor(doc)
        for start, end, url in links:
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            fmt.setAnchor(True)
            fmt.setAnchorHref(url)
            fmt.setFontUnderline(True)
            if link_color is not None:
                fmt.setForeground(link_color)  # type: ignore[arg-type]
            cursor.mergeCharFormat(fmt)
    return doc
