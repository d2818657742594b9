"""The embedded demo server the program starts when no server is configured."""
