"""The users list of the current line: model, delegate, photos."""
