"""The chat's parts of the core beyond the conversation itself: files (send and save)."""
