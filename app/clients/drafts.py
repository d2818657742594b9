"""ChatDrafts: the half-written reply of each chat, per account, kept across restarts
(app/store/drafts.py keeps them on disk). A damaged file costs a draft, never the window."""

from __future__ import annotations

import logging

from app.context import Context

log = logging.getLogger("linedesk.workplace.drafts")


class ChatDrafts:
    def __init__(self, session: Context) -> None:
        self._session = session

    def get(self, chat_id: int) -> str:
        """The chat's half-written reply ("" when none, or when nobody is signed in)."""
        s = self._session
        if s.me is None:
            return ""
        try:
            return s.drafts.get(s.account, chat_id)
        except Exception:
            log.exception("draft of chat %s", chat_id)
            return ""

    def keep(self, chat_id: int, text: str) -> None:
        """Keep what is typed in the chat (blank: forget its draft)."""
        s = self._session
        if s.me is None:
            return
        try:
            s.drafts.put(s.account, chat_id, text)
        except Exception:
            log.exception("keeping the draft of chat %s", chat_id)
