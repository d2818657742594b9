"""The Settings dialog and the registry of its pages (each feature registers its own)."""
