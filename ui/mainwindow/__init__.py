"""The main window: composition, status bar, tray, sign-in, the program's life."""
