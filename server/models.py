"""Every table of the server: the core's and each feature's. Import this (not only
server.core.models) where the whole schema matters: the migrations' environment, a fresh
database's create_all, the test that compares the migrations with the models. A feature with
tables adds its models module here in one line."""

from __future__ import annotations

from server.calls import models as calls_models
from server.chats import search as chat_search  # its index: DDL events, not tables
from server.clients import models as clients_models
from server.clients import search as user_search  # its index: DDL events, not tables
from server.core import installation
from server.core.models import Base
from server.favourites import models as favourites_models
from server.groups import models as groups_models
from server.remote import models as remote_models
from server.tickets import loads as ticket_loads  # a table and the triggers that keep it
from server.tickets import models as tickets_models

__all__ = [
    "Base",
    "calls_models",
    "chat_search",
    "clients_models",
    "favourites_models",
    "groups_models",
    "installation",
    "remote_models",
    "ticket_loads",
    "tickets_models",
    "user_search",
]
