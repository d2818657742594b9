"""Lines, their users, cards and the directory."""
