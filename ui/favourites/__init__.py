"""Favourites in the window: the command (function bar, the users' context menu) and the star
on a favourite's row (ui/clients/users_delegate.py)."""
