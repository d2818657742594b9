"""My profile: position, e-mail, phone; the others told (specialist.updated, user.updated)."""
