"""Groups in the window: the Group command (function bar, the users list's context menu),
the groups section under the users list, the dialog that makes a group and changes its
members, and a group's chat opened in the chat pane like any chat."""
