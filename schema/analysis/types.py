"""Every analysis result type by name: the ART and planning interval types refer to them here,
lazily (`strawberry.lazy("schema.analysis.types")`). Each lives in the module named after its
graph analysis."""

from __future__ import annotations

from schema.analysis.board import Board, BoardEdge, BoardNode
from schema.analysis.coupling import Coupling, CouplingCell, MultiTeamFeature
from schema.analysis.critical import CriticalPath, ItemSlack
from schema.analysis.cycles import Cycle, cycles_of
from schema.analysis.health import DependencyHealth, FeatureHealth
from schema.analysis.hotspots import ComponentCentrality, Hotspot, Hotspots, MissingEnabler
from schema.analysis.impact import LateFeature, LateMilestone, Slip, WhatIf, WhatIfMove
from schema.analysis.planner import ProposedMove, ProposedPlan, TeamLoad, UnplacedItem
from schema.analysis.portfolio import Portfolio

__all__ = [
    "Board",
    "BoardEdge",
    "BoardNode",
    "ComponentCentrality",
    "Coupling",
    "CouplingCell",
    "CriticalPath",
    "Cycle",
    "DependencyHealth",
    "FeatureHealth",
    "Hotspot",
    "Hotspots",
    "ItemSlack",
    "LateFeature",
    "LateMilestone",
    "MissingEnabler",
    "MultiTeamFeature",
    "Portfolio",
    "ProposedMove",
    "ProposedPlan",
    "Slip",
    "TeamLoad",
    "UnplacedItem",
    "WhatIf",
    "WhatIfMove",
    "cycles_of",
]
