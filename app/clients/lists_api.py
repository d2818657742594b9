"""The clients feature's requests beyond the users list (contract/clients_ops.py): my list on
a line, and my picture. Plain functions over the one `ApiClient`."""

from __future__ import annotations

from app.core import parse
from app.core.domain import Me
from app.net.api import ApiClient
from app.net.errors import MalformedReply, network_errors
from contract import accounts, clients


def _ids(raw: object, what: str) -> list[int]:
    try:
        return list(parse.convert(raw, clients.MyList).ids)
    except parse.Malformed as e:
        raise MalformedReply(detail=f"{what}: {e}") from None


async def my_list(api: ApiClient, line_id: int) -> list[int]:
    """The users I added to my list on the line, newest first."""
    return _ids(await api.call("GET", f"/lines/{line_id}/my-list"), "my list")


async def add_to_my_list(api: ApiClient, line_id: int, user_id: int) -> list[int]:
    return _ids(await api.call("PUT", f"/lines/{line_id}/my-list/{user_id}"), "my list")


async def remove_from_my_list(api: ApiClient, line_id: int, user_id: int) -> list[int]:
    return _ids(await api.call("DELETE", f"/lines/{line_id}/my-list/{user_id}"), "my list")


async def put_avatar(api: ApiClient, picture: bytes, content_type: str) -> Me:
    """My picture (PNG or JPEG bytes, ≤ contract.photos.MAX_BYTES): the caller as GET /me."""
    path = "/me/avatar"
    with network_errors(f"PUT {path}"):
        async with api.http.request(
            "PUT",
            api.url(path),
            data=picture,
            headers={**api.headers(), "Content-Type": content_type},
        ) as resp:
            if resp.status >= 400:
                await api._raise_for(resp)
            raw = await resp.read()
    try:
        return parse.me(parse.decode(raw, accounts.Me))
    except parse.Malformed as e:
        raise MalformedReply(detail=f"my picture: {e}") from None
