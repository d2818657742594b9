"""My profile (seed 000 2.1–2.2): the specialist changes their position, e-mail or phone
(`UPDATE`), and every session of theirs and every colleague follows it live:

- `UPDATE` sends the change (PUT /me/profile) and answers with an `Outcome`: me as the server
  now has me, or the fields it refused with its words — so the dialog can say which field is
  wrong and keep what was typed; any other failure is the usual Problem;
- ``specialist.updated`` (a profile or photo changed, in this session or another): about me,
  `Context.me` follows and `MeChanged` is emitted; about a colleague, their entry follows and
  `ColleagueChanged` is emitted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import msgspec

from app.context import Context
from app.core import parse
from app.core.changes import ColleagueChanged, MeChanged
from app.core.domain import Colleague, Me
from app.net.errors import BadRequest, MalformedReply
from app.net.events import Event
from contract import accounts
from contract import profile as wire
from contract.types import EventKind

UPDATE = "profile.update"


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    me: Me | None
    errors: tuple[tuple[str, str], ...] = ()  # (field, the server's words) when refused


class Profile:
    def __init__(self, session: Context, colleagues: Callable[[], dict[int, Colleague]]) -> None:
        self._session = session
        self._colleagues = colleagues
        session.intents.register(UPDATE, self.update)
        session.routes.register(EventKind.SPECIALIST_UPDATED, self.on_event)

    async def update(self, position: str, email: str, phone: str) -> Outcome:
        api = self._session.api
        assert api is not None
        change = wire.ProfileChange(position=position, email=email.strip(), phone=phone)
        try:
            raw = await api.call("PUT", "/me/profile", json=msgspec.to_builtins(change))
        except BadRequest as e:
            if e.errors:
                return Outcome(None, e.errors)
            raise
        try:
            me = parse.me(msgspec.convert(raw, accounts.Me))
        except (msgspec.ValidationError, parse.Malformed) as e:
            raise MalformedReply(detail=f"profile: {e}") from None
        self._changed(me)
        return Outcome(me)

    def on_event(self, ev: Event) -> None:
        if not isinstance(ev.payload, wire.SpecialistUpdated):
            return
        who = ev.payload
        me = self._session.me
        if me is not None and who.id == me.id:
            self._changed(
                dataclasses.replace(
                    me,
                    full_name=who.full_name,
                    position=who.position or "",
                    email=who.email or "",
                    phone=who.phone or "",
                    avatar_url=who.avatar_url,
                )
            )
            return
        colleagues = self._colleagues()
        known = colleagues.get(who.id)
        if known is not None:
            now = dataclasses.replace(known, full_name=who.full_name, avatar_url=who.avatar_url)
            if now != known:
                colleagues[who.id] = now
                self._session.emit(ColleagueChanged(now))

    def _changed(self, me: Me) -> None:
        if me != self._session.me:
            self._session.me = me
            self._session.emit(MeChanged(me))
