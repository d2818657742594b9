"""Talking to the ticket server: the REST client and the event stream."""
