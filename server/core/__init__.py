"""The server's infrastructure: settings, database, models, problems, shared state."""
