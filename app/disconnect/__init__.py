"""A client user disconnected from a support line (seed 004), and restored: the core's part."""
