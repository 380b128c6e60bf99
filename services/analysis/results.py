"""The analyses' result types as the API reads them: the graph engine's plain dataclasses,
named here so that the API reaches the engine only through services."""

from __future__ import annotations

from graph import coupling, critical, cycles, display, health, hotspots, impact, planner
from graph.model import Health, Slot

__all__ = [
    "Health",
    "Slot",
    "coupling",
    "critical",
    "cycles",
    "display",
    "health",
    "hotspots",
    "impact",
    "planner",
]
