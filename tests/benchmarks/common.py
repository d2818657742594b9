"""What every benchmark shares: the JSON line format and medians of repeated runs."""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Callable, Sequence


def emit(
    figure: str,
    value: float,
    unit: str,
    goal: float | None,
    better: str = "lower",
    floor: float | None = None,
    **extra: object,
) -> None:
    """Print one figure as one JSON line: {"figure", "value", "unit", "goal", "better", "floor"}."""
    record: dict[str, object] = {
        "figure": figure,
        "value": round(value, 3),
        "unit": unit,
        "goal": goal,
        "better": better,
        "floor": None if floor is None else round(floor, 3),
    }
    record.update(extra)
    print(json.dumps(record, ensure_ascii=False), flush=True)


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0..100) by the nearest-rank method."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def note(text: str) -> None:
    """A human-readable line that is not a figure (stderr, so stdout stays JSON lines)."""
    print(f"# {text}", file=sys.stderr, flush=True)
