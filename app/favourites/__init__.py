"""Favourites: the users a specialist watches on each line (kept on the server)."""
