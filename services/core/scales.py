"""The estimation and prioritisation scales of services/DOMAIN.md, in one place."""

from __future__ import annotations

from collections.abc import Mapping

from services.core.enums import TShirtSize

# Modified Fibonacci scale of the four WSJF inputs.
WSJF_SCALE: tuple[int, ...] = (1, 2, 3, 5, 8, 13, 20)

# Story points a team may estimate with.
STORY_POINT_SCALE: tuple[int, ...] = (0, 1, 2, 3, 5, 8, 13, 20, 40, 100)

DEFAULT_TSHIRT_POINTS: Mapping[TShirtSize, int] = {
    TShirtSize.XS: 1,
    TShirtSize.S: 2,
    TShirtSize.M: 3,
    TShirtSize.L: 5,
    TShirtSize.XL: 8,
}

# A spike is time-boxed; SAFe keeps it inside one iteration (two weeks of working days).
SPIKE_TIMEBOX_DAYS: tuple[int, int] = (1, 10)


def cost_of_delay(
    user_business_value: int | None,
    time_criticality: int | None,
    risk_reduction: int | None,
) -> int | None:
    """CoD = user-business value + time criticality + risk reduction/opportunity enablement."""
    if user_business_value is None or time_criticality is None or risk_reduction is None:
        return None
    return user_business_value + time_criticality + risk_reduction


def wsjf(cost: int | None, job_size: int | None) -> float | None:
    """WSJF = cost of delay / job size (higher ranks first); None until all inputs are scored."""
    if cost is None or job_size is None:
        return None
    return round(cost / job_size, 4)


def story_points(
    points: int | None, tshirt: TShirtSize | None, mapping: Mapping[str, int] | None = None
) -> int | None:
    """The points a story counts for: its points, or its t-shirt size through the team's scale."""
    if points is not None:
        return points
    if tshirt is None:
        return None
    if mapping and tshirt.value in mapping:
        return mapping[tshirt.value]
    return DEFAULT_TSHIRT_POINTS[tshirt]


def scale_text(scale: tuple[int, ...]) -> str:
    return ", ".join(str(v) for v in scale)
