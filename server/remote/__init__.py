"""Remote sessions: a specialist's connection to a client user's desktop (contract.remote)."""
