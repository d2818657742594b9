"""Chat text: always plain. Only https: and mailto: become links (STYLE.md 17)."""

from __future__ import annotations

import re
from typing import Final

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument, QTextOption

from contract.types import INVISIBLE

ALLOWED_SCHEMES: Final = frozenset({"https", "mailto"})

# https://… up to whitespace; mailto:… up to whitespace. Trailing punctuation is not part of a link.
_LINK_RE: Final = re.compile(r"(?:https://|mailto:)[^\s<>\"\u2066-\u2069]+", re.IGNORECASE)
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
    there (``Qt.mightBeRichText``), so a name like ``<img src=...>`` is escaped into HTML.
    Each line is wrapped in FSI … PDI: the lines become ``<br>`` of one paragraph, where one
    line's direction would run on into the next. People's text in it comes marked by the
    caller (:func:`isolated`, :func:`preview_line`): marked here again, the isolates of a
    name already isolated would show as "[FSI]"."""
    if not text:
        return text
    lines = (FSI + line.translate(_ESCAPE) + PDI for line in text.split("\n"))
    return "<p>" + "<br>".join(lines) + "</p>"


_PLACE: Final = re.compile(r"%([1-9])")


def quoted(text: str) -> str:
    """`text` in the language's quotation marks: “text” in English, «text» in Russian."""
    return QCoreApplication.translate("Text", "“%1”").replace("%1", text)


def fill(template: str, *values: str) -> str:
    """`template` (a translation) with %1, %2… replaced by `values` in one pass, as
    QString::arg with several arguments does: a name or a reason that holds "%2" stays
    those characters (one ``.replace`` after another put the next value into it)."""
    return _PLACE.sub(
        lambda m: values[int(m[1]) - 1] if int(m[1]) <= len(values) else m[0], template
    )


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


# -- direction: text from others is isolated (docs/chat.md) ---------------------------------
# Explicit bidi formatting characters and the implicit marks: each is shown as a visible
# mark instead of being obeyed, so a client cannot make "file.exe" read "exe.elif" nor
# "12:30" read "03:21" (RLO, RLM before digits, an unclosed embedding...).
BIDI_MARKS: Final = {
    0x202A: "[LRE]",
    0x202B: "[RLE]",
    0x202C: "[PDF]",
    0x202D: "[LRO]",
    0x202E: "[RLO]",
    0x2066: "[LRI]",
    0x2067: "[RLI]",
    0x2068: "[FSI]",
    0x2069: "[PDI]",
    0x200E: "[LRM]",
    0x200F: "[RLM]",
    0x061C: "[ALM]",
}
FSI: Final = "\u2068"
PDI: Final = "\u2069"


def marked(text: str) -> str:
    """`text` with every bidi control shown as a visible mark (for a text laid out alone:
    a bubble's own document, whose paragraphs share no line with anything else)."""
    return text.translate(BIDI_MARKS)


def isolated(text: str) -> str:
    """`text` from someone else, safe to show next to our own: every bidi control in it
    becomes a visible mark ("[RLO]"), and each line is wrapped in FIRST STRONG ISOLATE …
    POP DIRECTIONAL ISOLATE, so Arabic or Hebrew in it keeps its own direction without
    moving what is drawn around it (the name, the time, "You: ")."""
    if not text:
        return text
    marked = text.translate(BIDI_MARKS)
    return "\n".join(FSI + line + PDI for line in marked.split("\n"))


LINE_SHOWN: Final = 500
"""Characters of a text shown on one line (a row, a title, a label): far more than any width
shows, and a 100 000-character name no longer costs each layout a tenth of a second."""


NAME_SHOWN: Final = 80
"""Characters of a name or a file's name inside a sentence of a dialog or a bar: a longer
one, a word no line can break, would make the dialog (or the window) wider than a screen."""

DETAIL_SHOWN: Final = 300
"""Characters of a server's (or a proxy's) words shown under our own: a problem's detail."""


def shortened(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, the last an ellipsis, when it is longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(text: str, limit: int = LINE_SHOWN) -> str:
    """`text` on one line: whitespace runs (newlines too) one space, every bidi control a
    mark, cut at `limit` characters — for a place laid out alone (a dropdown's item, the
    window's title, a label of its own)."""
    return marked(" ".join(shortened(text, limit).split()))


def preview_line(text: str, limit: int = LINE_SHOWN) -> str:
    """:func:`one_line`, isolated: for a place beside our own words (a row's name, company or
    preview, a title with a subtitle, a system line)."""
    return isolated(one_line(text, limit))


def file_line(name: str, limit: int = NAME_SHOWN) -> str:
    """A file's name on one line, its bidi controls marked, its middle cut when it is long:
    the extension, what tells a program from a picture, stays seen."""
    name = " ".join(name.split())
    if len(name) > limit:
        head = (limit - 1) // 2
        name = name[:head] + "…" + name[len(name) - (limit - 1 - head) :]
    return marked(name)


_NO_BIDI: Final = dict.fromkeys(BIDI_MARKS)
_UNSEEN: Final = re.compile(f"(?![\\u200c\\u200d])[{INVISIBLE}]")
"""Characters that show nothing (zero-width spaces, the BOM, fillers), but for the zero-width
joiner and non-joiner: they join an emoji's parts and shape Persian or Indic words."""


def plain_words(text: str) -> str:
    """`text` on one line without its bidi controls and characters that show nothing: for
    someone's name or company put into text we write and send on (a quick reply's
    variables), where they would be sent too."""
    return " ".join(_UNSEEN.sub("", text.translate(_NO_BIDI)).split())
