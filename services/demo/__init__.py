"""The demo ART: a realistic online-shop release train, seeded through the use cases.

It comes with accounts to sign in as each role and a read-only API token.

``plan`` builds the plan in memory from ``data`` and a fixed random seed, ``seed`` writes it,
``refinement`` adds its refinement history (``refinement_plan`` reads it from ``data``,
``refinement_sessions`` walks it through the use cases, ``timeline`` dates it in the past),
``accounts`` adds the demo accounts and ``summary`` counts and describes the result.
"""

from __future__ import annotations

from services.demo.seed import seed_demo, seed_demo_into
from services.demo.summary import DemoSummary

__all__ = ["DemoSummary", "seed_demo", "seed_demo_into"]
