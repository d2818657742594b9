"""Chats, messages, read marks, tickets and files."""
