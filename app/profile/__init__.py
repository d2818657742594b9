"""My profile: position, e-mail, phone, kept on the server and followed live."""
