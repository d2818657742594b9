"""Tickets: a chat's open question, opened by its first message, taken and finished by a
specialist of its line."""
