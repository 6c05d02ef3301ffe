"""Time units: medians are stored as printed; these give the extra months column."""

from __future__ import annotations

import math

DAYS_PER_MONTH = 30.4375  # 365.25 / 12
MONTHS_PER = {"days": 1 / DAYS_PER_MONTH, "weeks": 7 / DAYS_PER_MONTH, "months": 1.0, "years": 12.0}


def to_months(value: float | None, unit: str | None) -> float | None:
    """A duration in months (two decimals), or None when the value or its unit is unknown."""
    if value is None or unit is None or (isinstance(value, float) and math.isnan(value)):
        return None
    factor = MONTHS_PER.get(unit.strip().lower())
    return None if factor is None else round(value * factor, 2)
