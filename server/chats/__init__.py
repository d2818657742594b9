"""Chats, messages, read marks and files."""
