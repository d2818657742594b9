"""A client user disconnected from a support line (seed 004), in the window: the command and
its dialog, the marks of the row and the chat's header, the composer's word, the info panel's
section with «Restore to the line»."""
