"""Deterministic Russian people for the demo: names that agree by gender, logins, e-mails, phones.

Everything here is driven by a ``random.Random`` the caller seeds, so the same
seed always gives the same people.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from server.demo import names

__all__ = [
    "PersonData",
    "birth_date_today",
    "full_name",
    "make_login",
    "make_person",
    "phone_number",
    "pick_region",
    "translit",
]

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip


def translit(text: str) -> str:
    """Latin spelling of a Russian word for logins and e-mails (lower case, letters only)."""
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower() if ch.isalpha() or ch == "-")


@dataclass(slots=True)
class PersonData:
    """One person's contact card, as the seed writes it (client user or specialist)."""

    last_name: str
    first_name: str
    patronymic: str
    female: bool
    login: str
    email: str
    phone: str
    position: str | None
    department: str | None
    birth_date: dt.date | None
    region: str
    time_zone: str
    mobile: bool

    @property
    def full_name(self) -> str:
        return full_name(self.last_name, self.first_name, self.patronymic)


def full_name(last: str, first: str, patronymic: str | None) -> str:
    return " ".join(p for p in (last, first, patronymic) if p)


def _surname(rng: random.Random, female: bool) -> str:
    roll = rng.random()
    if roll < 0.86:
        male = rng.choice(names.SURNAMES_OV)
        return male + "а" if female else male
    if roll < 0.94:
        m, f = rng.choice(names.SURNAMES_ADJ)
        return f if female else m
    return rng.choice(names.SURNAMES_FIXED)


def pick_region(rng: random.Random) -> str:
    regions = list(names.REGION_WEIGHTS)
    return rng.choices(regions, weights=[names.REGION_WEIGHTS[r] for r in regions])[0]


def phone_number(rng: random.Random, region: str | None = None, *, mobile: bool = False) -> str:
    """A phone in the usual Russian format: ``+7 (495) 123-45-67``."""
    if mobile or region is None:
        code = rng.choice(("903", "905", "909", "912", "915", "916", "917", "921", "926", "985"))
    else:
        code = names.REGIONS[region][1]
    n = rng.randint(0, 9_999_999)
    s = f"{n:07d}"
    if s[0] in "01":  # local numbers do not start with 0 or 1
        s = str(rng.randint(2, 9)) + s[1:]
    return f"+7 ({code}) {s[:3]}-{s[3:5]}-{s[5:]}"


def birth_date_today(rng: random.Random, today: dt.date) -> dt.date:
    """A birth date whose month and day are ``today``'s (a leap year for 29 February)."""
    while True:
        year = rng.randint(1968, 2001)
        try:
            return today.replace(year=year)
        except ValueError:  # 29 February in a common year
            continue


def _birth_date(rng: random.Random, today: dt.date) -> dt.date | None:
    if rng.random() < 0.12:
        return None  # not everyone fills it in
    year = rng.randint(1962, 2003)
    start = dt.date(year, 1, 1)
    d = start + dt.timedelta(days=rng.randint(0, 364))
    if (d.month, d.day) == (today.month, today.day):
        d += dt.timedelta(days=1)  # today's birthdays are placed on purpose only
    return d


def make_person(
    rng: random.Random,
    *,
    today: dt.date,
    taken: set[str],
    email_domain: str,
    region: str | None = None,
    position: tuple[str | None, str | None] | None = None,
    female: bool | None = None,
    birthday_today: bool = False,
) -> PersonData:
    """A person with a gender-consistent name and a login unique within ``taken`` (updated)."""
    is_female = rng.random() < 0.62 if female is None else female
    if is_female:
        first = rng.choice(names.FEMALE_NAMES)
        patronymic = rng.choice(names.MALE_NAMES)[2]
    else:
        first, _, _ = rng.choice(names.MALE_NAMES)
        patronymic = rng.choice(names.MALE_NAMES)[1]
    last = _surname(rng, is_female)
    the_region = region if region is not None else pick_region(rng)
    tz = names.REGIONS[the_region][0]
    pos: str | None
    dept: str | None
    if position is None:
        pos, dept, _ = rng.choices(
            names.CLIENT_POSITIONS, weights=[w for *_, w in names.CLIENT_POSITIONS]
        )[0]
    else:
        pos, dept = position
    login = make_login(first, last, taken)
    return PersonData(
        last_name=last,
        first_name=first,
        patronymic=patronymic,
        female=is_female,
        login=login,
        email=f"{login}@{email_domain}",
        phone=phone_number(rng, the_region, mobile=rng.random() < 0.4),
        position=pos,
        department=dept,
        birth_date=birth_date_today(rng, today) if birthday_today else _birth_date(rng, today),
        region=the_region,
        time_zone=tz,
        mobile=rng.random() < 0.3,
    )


def make_login(first: str, last: str, taken: set[str]) -> str:
    """``i.ivanova``, then ``i.ivanova2``… — unique within ``taken`` (which it updates)."""
    base = f"{translit(first)[0]}.{translit(last)}"
    login = base
    n = 1
    while login in taken:
        n += 1
        login = f"{base}{n}"
    taken.add(login)
    return login
