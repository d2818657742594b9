"""What is kept on this computer: cache, outbox, drafts, settings, credentials."""
