"""The open chat: messages, their painting, the composer and drafts."""
