"""Bulk seeding of the board benchmark's ARTs with asyncpg COPY (no ORM, no API).

Ids are assigned here (one counter per table) so rows can reference each other before
they are written; the serial sequences are moved past them afterwards.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg

WSJF_SCALE = (1, 2, 3, 5, 8, 13, 20)
POINT_SCALE = (0, 1, 2, 3, 5, 8, 13, 20, 40, 100)
FEATURE_STATES = ("ANALYZING", "BACKLOG", "BACKLOG", "IMPLEMENTING", "IMPLEMENTING", "VALIDATING")
STORY_STATUSES = ("BACKLOG", "IN_PROGRESS", "IN_REVIEW", "DONE")
TEAM_NAMES = ("Atlas", "Boreas", "Cygnus", "Draco", "Eos", "Fornax", "Gemini", "Hydra")
REGULAR_ITERATIONS = 4
ITERATION_DAYS = 14

# Columns every editable row carries (services.models.base.Editable).
COMMON = ("created_at", "updated_at", "archived_at", "version")
COLUMNS: dict[str, tuple[str, ...]] = {
    "arts": ("id", "key", "name", "description", *COMMON),
    "teams": (
        "id",
        "art_id",
        "key",
        "name",
        "description",
        "is_shared_services",
        "tshirt_points",
        *COMMON,
    ),
    "planning_intervals": ("id", "art_id", "name", "start_date", "end_date", *COMMON),
    "iterations": (
        "id",
        "planning_interval_id",
        "index",
        "name",
        "start_date",
        "end_date",
        "kind",
        *COMMON,
    ),
    "features": (
        "id",
        "art_id",
        "key",
        "title",
        "description",
        "kind",
        "enabler_type",
        "state",
        "benefit_hypothesis",
        "acceptance_criteria",
        "user_business_value",
        "time_criticality",
        "risk_reduction",
        "job_size",
        "cost_of_delay",
        "wsjf",
        "wsjf_sort",
        "rank",
        "owning_team_id",
        "planning_interval_id",
        "iteration_id",
        *COMMON,
    ),
    "stories": (
        "id",
        "feature_id",
        "team_id",
        "key",
        "title",
        "description",
        "kind",
        "acceptance_criteria",
        "points",
        "tshirt_size",
        "status",
        "is_blocked",
        "blocked_reason",
        "iteration_id",
        "rank",
        "refinement_tag",
        "spike_timebox_days",
        *COMMON,
    ),
    "dependencies": (
        "id",
        "dependent_feature_id",
        "dependent_story_id",
        "prerequisite_feature_id",
        "prerequisite_story_id",
        "dependent_art_id",
        "prerequisite_art_id",
        "type",
        "needed_by_iteration_id",
        "note",
        "dependent_node",
        "prerequisite_node",
        *COMMON,
    ),
}
# Parents before children, for COPY under the foreign keys.
TABLE_ORDER = tuple(COLUMNS)


@dataclass(frozen=True, slots=True)
class BoardSize:
    """One ART of the benchmark: its shape and how many timed requests it gets."""

    key: str
    features: int
    stories_per_feature: int
    teams: int
    timed_requests: int

    @property
    def stories(self) -> int:
        return self.features * self.stories_per_feature


@dataclass(frozen=True, slots=True)
class SeededArt:
    """What was written for one ART: the counts the board query must return."""

    key: str
    art_id: int
    features: int
    stories: int
    feature_dependencies: int
    story_dependencies: int


@dataclass(slots=True)
class _Rows:
    """Rows per table (tuples in COLUMNS order) and the next id of each table."""

    tables: dict[str, list[tuple[Any, ...]]] = field(
        default_factory=lambda: {name: [] for name in TABLE_ORDER}
    )
    next_ids: dict[str, itertools.count[int]] = field(
        default_factory=lambda: {name: itertools.count(1) for name in TABLE_ORDER}
    )

    def add(self, table: str, *values: Any) -> int:
        """Append a row whose values follow COLUMNS[table] minus id and the common columns."""
        row_id = next(self.next_ids[table])
        row = (row_id, *values)
        if len(row) + len(COMMON) != len(COLUMNS[table]):
            raise ValueError(f"{table}: {len(row)} values for {COLUMNS[table]}")
        self.tables[table].append(row)
        return row_id


def _wsjf_inputs(rng: random.Random) -> tuple[int, int, int, int, int, float]:
    ubv, tc, rr, job = (rng.choice(WSJF_SCALE) for _ in range(4))
    cod = ubv + tc + rr
    return ubv, tc, rr, job, cod, round(cod / job, 4)


def _add_art(rows: _Rows, size: BoardSize, start: dt.date) -> SeededArt:
    """Rows of one ART: teams, one PI (4 regular iterations + IP), features, stories, deps."""
    rng = random.Random(f"trainyard-board-{size.key}")
    art_id = rows.add("arts", size.key, f"Benchmark train {size.key}", "")
    team_keys: dict[int, str] = {}
    for index in range(size.teams):
        name = TEAM_NAMES[index % len(TEAM_NAMES)]
        key = f"{name[:3].upper()}{index // len(TEAM_NAMES) or ''}"
        team_keys[rows.add("teams", art_id, key, f"Team {name}", "", False, "{}")] = key
    teams = list(team_keys)
    pi_days = ITERATION_DAYS * (REGULAR_ITERATIONS + 1)
    pi_id = rows.add(
        "planning_intervals", art_id, "PI 2027.1", start, start + dt.timedelta(days=pi_days - 1)
    )
    regular: list[int] = []
    for index in range(1, REGULAR_ITERATIONS + 2):
        first_day = start + dt.timedelta(days=ITERATION_DAYS * (index - 1))
        last_day = first_day + dt.timedelta(days=ITERATION_DAYS - 1)
        is_ip = index == REGULAR_ITERATIONS + 1
        name = "Innovation & Planning" if is_ip else f"Iteration {index}"
        iteration_id = rows.add(
            "iterations", pi_id, index, name, first_day, last_day, "IP" if is_ip else "REGULAR"
        )
        if not is_ip:
            regular.append(iteration_id)

    criteria = json.dumps(["Given the board, when it loads, then every feature shows."])
    story_numbers = dict.fromkeys(teams, 0)
    features: list[tuple[int, int]] = []  # (feature id, its iteration id)
    stories: list[tuple[int, int]] = []  # (story id, its iteration id)
    for f_index in range(size.features):
        ubv, tc, rr, job, cod, wsjf = _wsjf_inputs(rng)
        owner = teams[f_index % len(teams)]
        f_iteration = regular[f_index % len(regular)]
        feature_id = rows.add(
            "features",
            art_id,
            f"{size.key}-{f_index + 1}",
            f"Feature {f_index + 1} of {size.key}",
            "",
            "BUSINESS",
            None,
            rng.choice(FEATURE_STATES),
            "",
            criteria,
            ubv,
            tc,
            rr,
            job,
            cod,
            wsjf,
            wsjf,
            f_index + 1,
            owner,
            pi_id,
            f_iteration,
        )
        features.append((feature_id, f_iteration))
        for s_index in range(size.stories_per_feature):
            # Mostly the owning team, sometimes another team of the train.
            team = owner if rng.random() < 0.6 else rng.choice(teams)
            story_numbers[team] += 1
            s_iteration = rng.choice(regular)
            story_id = rows.add(
                "stories",
                feature_id,
                team,
                f"{team_keys[team]}-{story_numbers[team]}",
                f"Story {s_index + 1} of feature {f_index + 1}",
                "",
                "USER_STORY",
                criteria,
                rng.choice(POINT_SCALE),
                None,
                rng.choice(STORY_STATUSES),
                False,
                "",
                s_iteration,
                s_index + 1,
                None,
                None,
            )
            stories.append((story_id, s_iteration))

    # About one dependency per feature: each feature after the first waits on an earlier one
    # (acyclic, never on itself).
    for index in range(1, len(features)):
        dependent, needed_by = features[index]
        prerequisite = features[rng.randrange(index)][0]
        kind = "BLOCKS" if rng.random() < 0.8 else "RELATES"
        rows.add(
            "dependencies",
            dependent,
            None,
            prerequisite,
            None,
            art_id,
            art_id,
            kind,
            needed_by,
            "",
            dependent * 2,
            prerequisite * 2,
        )
    # About one dependency per five stories, between distinct stories of the ART.
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < len(stories) // 5:
        later = rng.randrange(1, len(stories))
        pairs.add((later, rng.randrange(later)))
    for later, earlier in sorted(pairs):
        dependent, needed_by = stories[later]
        rows.add(
            "dependencies",
            None,
            dependent,
            None,
            stories[earlier][0],
            art_id,
            art_id,
            "BLOCKS",
            needed_by,
            "",
            dependent * 2 + 1,
            stories[earlier][0] * 2 + 1,
        )
    return SeededArt(
        key=size.key,
        art_id=art_id,
        features=len(features),
        stories=len(stories),
        feature_dependencies=len(features) - 1,
        story_dependencies=len(pairs),
    )


async def seed_boards(dsn: str, sizes: Sequence[BoardSize]) -> dict[str, SeededArt]:
    """Write every size's ART to the (migrated, empty) database at ``dsn``."""
    rows = _Rows()
    start = dt.date(2027, 1, 4)
    seeded = {size.key: _add_art(rows, size, start) for size in sizes}
    now = dt.datetime.now(dt.UTC)
    common = (now, now, None, 1)
    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            for table in TABLE_ORDER:
                records = [(*row, *common) for row in rows.tables[table]]
                await connection.copy_records_to_table(
                    table, records=records, columns=list(COLUMNS[table])
                )
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
        # Fresh statistics, so the planner sees the seeded sizes (as autovacuum would).
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return seeded
