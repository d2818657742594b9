"""Groups: a chat of several people (colleagues, users of the creator's lines), seen by its
members only. Its messages are a chat's (``server.chats``): the group owns a chat row with
no user, and the chat code asks :mod:`server.groups.members` who may see it."""
