"""Favourites: the users a specialist watches, per line."""

from __future__ import annotations

from msgspec import Struct

from contract.types import Id


class Favourite(Struct, frozen=True):
    line_id: Id
    user_id: Id
    chat_id: Id | None  # the user's chat on the line (None: none yet)
    full_name: str  # the user's (what an alert about their chat is titled)


class Favourites(Struct, frozen=True):
    """My favourites on every line I serve (users still connected to it), newest first."""

    items: list[Favourite]


class FavouriteChanged(Struct, frozen=True):
    """``favourite.changed``: a user of a line added to (``favourite``) or taken off my
    favourites, in this session or another of mine; only my own sessions get it."""

    line_id: Id
    user_id: Id
    chat_id: Id | None
    full_name: str
    favourite: bool
