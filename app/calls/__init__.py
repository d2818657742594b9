"""Calls in the client core: the server's call records (telephony/ is the SIP side)."""
