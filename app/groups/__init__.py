"""Groups in the core: the specialist's groups (kept by `group.updated`), making one and
changing its members, the groups a user shares with me, and opening a group's chat."""
