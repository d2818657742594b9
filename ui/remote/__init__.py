"""The window's remote desktop: Connect (function bar, context menu, Ctrl+Shift+R), its
dialog, the sessions panel, the comment prompt, the pre-flight's explanations, the settings
page (ui/remote/)."""
