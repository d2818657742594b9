"""The side panel: the info panel about the selected user."""
