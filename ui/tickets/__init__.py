"""Tickets in the window: finishing one (its command), and what will join it (take, transfer)."""
