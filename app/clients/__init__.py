"""The Clients section: lines, their users, chats, presence, photos."""
