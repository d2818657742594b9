"""Tickets: a user's open ticket on their row, finishing it, and the live `ticket.*` events."""
