"""The API between the LineDesk client and its ticket server, written once.

Typed message definitions (msgspec Structs) that both sides import: the server
validates request bodies and parameters and presents its replies through them,
the client decodes replies and event frames through them, and the OpenAPI
document is generated from them (``contract.openapi.document``). Nothing here
imports the server or the client.
"""
