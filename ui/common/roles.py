"""Item data roles as plain module-level ints (STYLE.md 7: hot paths never resolve enums).

The values are Qt's own (`Qt.ItemDataRole`, fixed by Qt's ABI; tests/window/test_models.py
checks them). They are spelled as numbers so that importing this module does not build Qt's
`Qt` namespace — ~90 enums, 11 ms — before the window's first paint."""

from __future__ import annotations

from typing import Final

DISPLAY_ROLE: Final = 0  # Qt.ItemDataRole.DisplayRole
TOOLTIP_ROLE: Final = 3  # Qt.ItemDataRole.ToolTipRole
ACCESSIBLE_ROLE: Final = 11  # Qt.ItemDataRole.AccessibleTextRole
_USER: Final = 0x0100  # Qt.ItemDataRole.UserRole

ROW_ROLE: Final = _USER + 1  # users model: the app.core.domain.UserRow
USER_ID_ROLE: Final = _USER + 2  # users model: the user's id
MESSAGE_ROLE: Final = _USER + 3  # chat model: the app.core.domain.Message
MESSAGE_KEY_ROLE: Final = _USER + 4  # chat model: client_msg_id
TICKET_ROLE: Final = _USER + 5  # users model: (who holds the ticket / how long the user waits, in
# words; the reply-time guard's level 0, 1 amber, 2 red) (ui/tickets)
STEP_ROLE: Final = _USER + 6  # chat model: a ticket's step as a quiet system line (ui/tickets)
