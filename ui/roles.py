"""Item data roles as plain module-level ints (STYLE.md 7: hot paths never resolve enums)."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Qt

DISPLAY_ROLE: Final = int(Qt.ItemDataRole.DisplayRole.value)
TOOLTIP_ROLE: Final = int(Qt.ItemDataRole.ToolTipRole.value)
ACCESSIBLE_ROLE: Final = int(Qt.ItemDataRole.AccessibleTextRole.value)
_USER: Final = int(Qt.ItemDataRole.UserRole.value)

ROW_ROLE: Final = _USER + 1  # users model: the app.domain.UserRow
USER_ID_ROLE: Final = _USER + 2  # users model: the user's id
MESSAGE_ROLE: Final = _USER + 3  # chat model: the app.domain.Message
MESSAGE_KEY_ROLE: Final = _USER + 4  # chat model: client_msg_id
