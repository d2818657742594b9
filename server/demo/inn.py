"""Russian taxpayer numbers (ИНН): checksum validation and generation.

* 10 digits — a legal entity (ООО, АО): the 10th digit is a check digit over
  the first nine.
* 12 digits — an individual or an individual entrepreneur (ИП): the 11th
  digit checks the first ten, the 12th checks the first eleven.

Each check digit is ``sum(digit * weight) % 11 % 10``.
"""

from __future__ import annotations

import random

__all__ = [
    "REGION_CODES",
    "generate_inn",
    "generate_legal_inn",
    "generate_personal_inn",
    "is_valid_inn",
]

_W10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_W11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_W12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)

# Subject-of-federation codes that open an INN (first two digits).
REGION_CODES: dict[str, str] = {
    "Москва": "77",
    "Санкт-Петербург": "78",
    "Московская область": "50",
    "Свердловская область": "66",
    "Новосибирская область": "54",
    "Самарская область": "63",
    "Приморский край": "25",
    "Республика Татарстан": "16",
    "Краснодарский край": "23",
    "Челябинская область": "74",
    "Нижегородская область": "52",
    "Томская область": "70",
}


def _check_digit(digits: list[int] | tuple[int, ...], weights: tuple[int, ...]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 11 % 10


def is_valid_inn(inn: str) -> bool:
    """True when ``inn`` is 10 or 12 ASCII digits with correct check digits."""
    if not isinstance(inn, str) or not inn.isascii() or not inn.isdigit():
        return False
    digits = [int(c) for c in inn]
    if len(digits) == 10:
        return digits[9] == _check_digit(digits[:9], _W10)
    if len(digits) == 12:
        return digits[10] == _check_digit(digits[:10], _W11) and digits[11] == _check_digit(
            digits[:11], _W12
        )
    return False


def _prefix(rng: random.Random, region_code: str | None) -> list[int]:
    code = region_code if region_code is not None else rng.choice(list(REGION_CODES.values()))
    if len(code) != 2 or not code.isdigit():
        raise ValueError(f"region code must be two digits, got {code!r}")
    office = rng.randint(1, 99)  # tax office number within the region
    return [int(code[0]), int(code[1]), office // 10, office % 10]


def generate_legal_inn(rng: random.Random, region_code: str | None = None) -> str:
    """A valid 10-digit INN of a legal entity, deterministic for a seeded ``rng``."""
    digits = _prefix(rng, region_code) + [rng.randint(0, 9) for _ in range(5)]
    digits.append(_check_digit(digits, _W10))
    return "".join(map(str, digits))


def generate_personal_inn(rng: random.Random, region_code: str | None = None) -> str:
    """A valid 12-digit INN of an individual (or ИП), deterministic for a seeded ``rng``."""
    digits = _prefix(rng, region_code) + [rng.randint(0, 9) for _ in range(6)]
    digits.append(_check_digit(digits, _W11))
    digits.append(_check_digit(digits, _W12))
    return "".join(map(str, digits))


def generate_inn(
    rng: random.Random, *, individual: bool = False, region_code: str | None = None
) -> str:
    """A valid INN: 12 digits when ``individual``, otherwise 10."""
    if individual:
        return generate_personal_inn(rng, region_code)
    return generate_legal_inn(rng, region_code)
