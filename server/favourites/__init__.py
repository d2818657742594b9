"""Favourites: users a specialist watches on a line (every event of their chat reaches the
specialist's alerts; the chat can be watched while a colleague holds the ticket)."""
