"""The graph benchmark: every analysis of graph/ on generated plans of three sizes (one ART,
a portfolio of ten, a 200,000-item stress plan), beside loading the same plan from
PostgreSQL and the same algorithm in rustworkx, plus the cycle guard of one new dependency.

Run with `make bench` (`pytest tests/perf --bench -s`). Asserted: the plans are what the
generator promises, the analyses are sane (no cycles in an acyclic plan, a critical path,
slips after the what-if moves) and agree with rustworkx, and the plan loads back from the
database equal to the generated one. Not asserted: any timing; the figures are printed and
written to tests/perf/results/graph.json, with a cProfile of every analysis that misses
its target (one ART < 50 ms per analysis, the cycle guard < 5 ms, the whole portfolio
suite < 2 s).

The stress plan's analyses each run in a forked child with a time limit and an address-
space limit, so one that runs away is reported (timeout, MemoryError) instead of taking
the run down; the child's peak RSS is recorded.
"""

from __future__ import annotations

import asyncio
import cProfile
import datetime as dt
import enum
import functools
import gc
import importlib
import importlib.metadata
import inspect
import json
import multiprocessing
import os
import platform
import pstats
import resource
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import networkx as nx
import pytest
import rustworkx as rx
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from graph.coupling import coupling
from graph.critical import critical_path
from graph.cycles import closing_cycle, find_cycles
from graph.display import board, redundant_dependencies
from graph.health import DependencyHealth, dependency_health, feature_health
from graph.hotspots import hotspots
from graph.impact import Move, what_if
from graph.model import Dependency, Plan
from graph.planner import propose_plan
from services.core.db import upgrade_to_head
from services.core.errors import ErrorCode, Problems
from services.work import cycles as dependency_service
from tests.conftest import fresh_database_url
from tests.perf import graph_rx
from tests.perf.graph_plans import ART, PORTFOLIO, STRESS, Generated, PlanShape, generate
from tests.perf.graph_plans import what_if_moves as choose_moves
from tests.perf.graph_seed import (
    ALL_PARTS,
    Part,
    differences,
    load_plan_rows,
    node,
    seed_plan,
    without_caches,
)

RUSTWORKX = importlib.metadata.version("rustworkx")
RESULTS_PATH = Path(__file__).parent / "results" / "graph.json"
RUNS = {ART.key: 7, PORTFOLIO.key: 3, STRESS.key: 1}
GUARD_RUNS = {ART.key: 30, PORTFOLIO.key: 15}
LOAD_RUNS = {ART.key: 7, PORTFOLIO.key: 5}
ART_TARGET_MS = 50.0  # every analysis of one ART
GUARD_TARGET_MS = 5.0  # the cycle check guarding one mutation
SUITE_TARGET_MS = 2_000.0  # the whole portfolio suite
PORTFOLIO_PROFILE_MS = SUITE_TARGET_MS / 4  # a portfolio analysis this slow is profiled too
STRESS_TIMEOUT_S = float(os.environ.get("TRAINYARD_BENCH_STRESS_TIMEOUT", "300"))
STRESS_MEMORY_LIMIT = int(os.environ.get("TRAINYARD_BENCH_STRESS_MEMORY_GB", "14")) << 30
PROFILE_TOP = 12
SUITE = "whole suite"


# The analyses ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Inputs:
    """What some analyses take besides the plan, prepared outside the timing."""

    moves: tuple[Move, ...]
    healths: list[DependencyHealth]


def _health(plan: Plan, _: Inputs) -> Any:
    healths = dependency_health(plan)
    return healths, feature_health(plan, healths)


def _suite(plan: Plan, inputs: Inputs) -> Any:
    """Every analysis on one plan, as one request for the whole picture would run them."""
    healths = dependency_health(plan)
    features = feature_health(plan, healths)
    cycles = find_cycles(plan)
    path = critical_path(plan, 1)
    impact = what_if(plan, inputs.moves)
    teams = coupling(plan)
    spots = hotspots(plan)
    proposal = propose_plan(plan, 1)
    drawn = board(plan, healths)
    return (
        len(features),
        len(cycles),
        path.length,
        len(impact.slipped),
        len(teams.pairs),
        len(spots.hotspots),
        len(proposal.moves),
        len(drawn.edges),
    )


def _rx_critical(plan: Plan, _: Inputs) -> Any:
    length, points, items = graph_rx.critical(plan, 1)
    return {"length": length, "points": points, "items": len(items)}


def _same(answer: Any) -> Any:
    return answer


@dataclass(frozen=True, slots=True)
class Analysis:
    name: str
    parts: Part  # the rows it needs from the database
    engine: Callable[[Plan, Inputs], Any]
    summary: Callable[[Any], Any]  # what is compared and reported of the engine's answer
    rx: Callable[[Plan, Inputs], Any] | None = None  # answers in the summary's terms
    needs: tuple[str, ...] = ()  # analyses it runs inside (stress: not run when they fail)


ITEMS_DEPS = Part.ITEMS | Part.DEPENDENCIES
ANALYSES = (
    Analysis(
        "dependency_health + feature_health",
        ITEMS_DEPS,
        _health,
        lambda r: {"dependencies": len(r[0]), "features": len(r[1])},
    ),
    Analysis(
        "find_cycles",
        ITEMS_DEPS,
        lambda p, _: find_cycles(p),
        lambda r: [c.members for c in r],
        lambda p, _: graph_rx.knots(p),
    ),
    Analysis(
        "critical_path(plan, 1)",
        ITEMS_DEPS,
        lambda p, _: critical_path(p, 1),
        lambda r: {"length": r.length, "points": r.points, "items": len(r.items)},
        _rx_critical,
    ),
    Analysis(
        "what_if (3 moves)",
        ITEMS_DEPS | Part.MILESTONES,
        lambda p, i: what_if(p, i.moves),
        lambda r: sorted(s.item for s in r.slipped),
        lambda p, i: sorted(graph_rx.slipped(p, i.moves)),
    ),
    Analysis(
        "coupling",
        ITEMS_DEPS,
        lambda p, _: coupling(p),
        lambda r: {"pairs": len(r.pairs), "multi_team": len(r.multi_team)},
    ),
    Analysis(
        "hotspots",
        Part.ITEMS | Part.COMPONENTS,
        lambda p, _: hotspots(p),
        lambda r: {"hotspots": len(r.hotspots), "missing_enablers": len(r.missing_enablers)},
    ),
    Analysis(
        "propose_plan(plan, 1)",
        ITEMS_DEPS | Part.CAPACITY,
        lambda p, _: propose_plan(p, 1),
        lambda r: {"moves": len(r.moves), "unplaced": len(r.unplaced)},
    ),
    Analysis(
        "redundant_dependencies",
        ITEMS_DEPS,
        lambda p, _: redundant_dependencies(p),
        lambda r: sorted(r),
        lambda p, _: sorted(graph_rx.redundant(p)),
    ),
    Analysis(
        "board",
        ITEMS_DEPS,
        lambda p, i: board(p, i.healths),
        lambda r: {
            "nodes": len(r.nodes),
            "edges": len(r.edges),
            "redundant": sum(e.redundant for e in r.edges),
        },
        needs=("redundant_dependencies",),
    ),
    Analysis(SUITE, ALL_PARTS, _suite, lambda r: list(r)),
)


# Results ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Timing:
    ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    def as_json(self) -> dict[str, Any]:
        return {
            "runs": len(self.ms),
            "median_ms": round(self.median, 3),
            "min_ms": round(min(self.ms), 3),
            "max_ms": round(max(self.ms), 3),
        }


@dataclass(slots=True)
class Row:
    size: str
    analysis: str
    engine: Timing | None = None
    rx: Timing | None = None
    load_ms: float | None = None
    status: str = "ok"  # or what stopped it (stress): timeout, MemoryError, ...
    rx_status: str = ""
    summary: Any = None
    peak_rss_mb: float | None = None
    rx_peak_rss_mb: float | None = None
    target_ms: float | None = None
    profile: list[dict[str, Any]] | None = None

    @property
    def missed(self) -> bool:
        return (
            self.target_ms is not None
            and self.engine is not None
            and self.engine.median > self.target_ms
        )

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"size": self.size, "analysis": self.analysis, "status": self.status}
        if self.engine is not None:
            out["engine"] = self.engine.as_json()
        if self.rx is not None:
            out["rustworkx"] = self.rx.as_json()
            if self.engine is not None:
                out["ratio_networkx_over_rustworkx"] = round(self.engine.median / self.rx.median, 2)
        if self.rx_status:
            out["rustworkx_status"] = self.rx_status
        if self.load_ms is not None:
            out["load_median_ms"] = round(self.load_ms, 3)
        if self.peak_rss_mb is not None:
            out["peak_rss_mb"] = round(self.peak_rss_mb, 1)
        if self.rx_peak_rss_mb is not None:
            out["rustworkx_peak_rss_mb"] = round(self.rx_peak_rss_mb, 1)
        if self.target_ms is not None:
            out["target_ms"] = self.target_ms
            out["meets_target"] = not self.missed
        if self.summary is not None:
            out["result"] = _short(self.summary)
        if self.profile is not None:
            out["profile_top_tottime"] = self.profile
        return out


@dataclass(slots=True)
class GuardRow:
    size: str
    probe: str
    reach: int  # items the walk from the new prerequisite visits
    closes: bool
    engine: Timing
    rx_edge_list: Timing
    rx_query: Timing
    sql: Timing | None = None  # the recursive CTE alone, plain asyncpg
    service: Timing | None = None  # services.dependencies.check_no_cycle (SQLAlchemy)
    explain: list[str] = field(default_factory=list)
    profile: list[dict[str, Any]] | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "size": self.size,
            "probe": self.probe,
            "reach": self.reach,
            "closes_cycle": self.closes,
            "engine_closing_cycle_edge_list": self.engine.as_json(),
            "rustworkx_edge_list": self.rx_edge_list.as_json(),
            "rustworkx_prebuilt_graph": self.rx_query.as_json(),
            "target_ms": GUARD_TARGET_MS,
        }
        if self.sql is not None:
            out["sql_recursive_cte"] = self.sql.as_json()
        if self.service is not None:
            out["service_check_no_cycle"] = self.service.as_json()
        if self.explain:
            out["explain_analyze"] = self.explain
        if self.profile is not None:
            out["profile_top_tottime"] = self.profile
        return out


@dataclass(slots=True)
class SizeReport:
    shape: PlanShape
    stats: dict[str, int]
    rows: list[Row] = field(default_factory=list)
    guards: list[GuardRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def _short(value: Any) -> Any:
    """Long lists in the JSON as their length and a few first members."""
    if isinstance(value, list) and len(value) > 5:
        return {"count": len(value), "first": [_short(v) for v in value[:5]]}
    if isinstance(value, tuple):
        return list(value)
    return value


# Measuring --------------------------------------------------------------------------------


def _fresh(fn: Callable[[Plan, Inputs], Any], plan: Plan, inputs: Inputs) -> Callable[[], Any]:
    """`fn` on the plan as a new object each call, so no cached property is reused."""

    def call() -> Any:
        return fn(without_caches(plan), inputs)

    return call


def _time(fn: Callable[[], Any], runs: int) -> tuple[Timing, Any]:
    """Median-able timings of `runs` calls (each after a full collection) and the last answer."""
    ms: list[float] = []
    result: Any = None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        ms.append((time.perf_counter() - start) * 1000)
    return Timing(ms), result


def _profile(fn: Callable[[], Any]) -> list[dict[str, Any]]:
    """One run under cProfile: the functions that spent the most time themselves."""
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    stats = pstats.Stats(profiler)
    rows = []
    # typeshed does not declare pstats.Stats.stats, the raw table cProfile fills.
    table = stats.stats  # type: ignore[attr-defined]  # undeclared in typeshed (see above)
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in table.items():
        short = filename
        for marker in ("site-packages/", "/work/main/"):
            if marker in short:
                short = short.split(marker, 1)[1]
        rows.append(
            {
                "function": f"{short}:{line}({name})",
                "calls": calls,
                "tottime_ms": round(tottime * 1000, 2),
                "cumtime_ms": round(cumtime * 1000, 2),
            }
        )
    rows.sort(key=lambda r: -float(r["tottime_ms"]))
    return rows[:PROFILE_TOP]


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str
    ms: float | None
    summary: Any
    peak_rss_mb: float | None


def _isolated(fn: Callable[[], Any], summary: Callable[[Any], Any], timeout: float) -> Outcome:
    """Run `fn` once in a forked child under an address-space limit and a time limit."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (STRESS_MEMORY_LIMIT, STRESS_MEMORY_LIMIT))
        status, ms, answer = "ok", None, None
        try:
            gc.collect()
            start = time.perf_counter()
            result = fn()
            ms = (time.perf_counter() - start) * 1000
            answer = summary(result)
        except MemoryError:
            status = "MemoryError"
        except RecursionError as exc:
            status = f"RecursionError: {exc}"
        except Exception as exc:
            status = f"{type(exc).__name__}: {exc}"[:200]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        send.send(Outcome(status, ms, answer, peak))

    process = context.Process(target=child)
    process.start()
    send.close()
    try:
        if receive.poll(timeout):
            try:
                outcome: Outcome = receive.recv()
            except EOFError:
                outcome = Outcome(f"died (exit code {process.exitcode})", None, None, None)
        else:
            outcome = Outcome(
                f"timeout after {timeout:.0f} s", None, None, _peak_rss_of(process.pid)
            )
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receive.close()
    return outcome


def _peak_rss_of(pid: int | None) -> float | None:
    """VmHWM (peak resident set) of a running process, in MB."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Plans ------------------------------------------------------------------------------------


@functools.cache
def _generated(shape: PlanShape) -> Generated:
    return generate(shape)


def _inputs(plan: Plan) -> Inputs:
    return Inputs(choose_moves(plan), dependency_health(without_caches(plan)))


def _check_shape(generated: Generated) -> None:
    shape, stats, plan = generated.shape, generated.stats, generated.plan
    arts = shape.arts
    assert stats["features"] == arts * shape.art.features
    assert stats["stories"] == arts * shape.art.stories
    assert stats["blocking"] == arts * shape.art.dependencies + (shape.cross_art if arts > 1 else 0)
    assert len(plan.items) == stats["features"] + stats["stories"]
    assert len(plan.blocking) == stats["blocking"]
    assert stats["story_story"] > stats["blocking"] / 2  # mostly story -> story
    assert stats["feature_feature"] > 0
    assert stats["cross_team"] > 0
    assert stats["cross_pi"] > 0
    assert (stats["cross_art"] > 0) == (arts > 1)
    assert 0.07 < stats["done"] / stats["stories"] < 0.13
    assert 0.16 < stats["not_movable"] / stats["stories"] < 0.24
    assert 0.07 < stats["unplanned"] / stats["stories"] < 0.13
    assert plan.iterations[4].ip
    assert len(plan.capacity) == arts * shape.art.teams * 4
    assert len(plan.milestones) == arts * shape.art.milestones


def _check_answers(row: Row, plan_size: str) -> None:
    """Sanity of the engine's answers on an acyclic generated plan."""
    summary = row.summary
    if row.analysis == "find_cycles":
        assert summary == [], f"{plan_size}: the generated plan is acyclic, found {summary[:3]}"
    elif row.analysis.startswith("critical_path"):
        assert summary["length"] >= 1
        assert summary["items"] >= 1
    elif row.analysis.startswith("what_if"):
        assert summary, "the what-if moves should make something slip"


# Database ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seeded:
    url: str  # SQLAlchemy URL
    dsn: str  # asyncpg DSN
    art_ids: tuple[int, ...]
    rows: dict[str, int]


@dataclass(frozen=True, slots=True)
class GraphEnv:
    seeded: dict[str, Seeded]
    postgres_version: str


@pytest.fixture(scope="module")
def graph_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphEnv]:
    """Fresh, migrated PostgreSQL databases, one per size, seeded with its generated plan."""
    drops: list[Callable[[], None]] = []
    seeded: dict[str, Seeded] = {}
    try:
        for shape in (ART, PORTFOLIO):
            url, drop = fresh_database_url("postgresql", tmp_path_factory.mktemp("graph"))
            drops.append(drop)
            upgrade_to_head(url)
            dsn = url.replace("postgresql+asyncpg://", "postgresql://")
            generated = _generated(shape)
            rows = asyncio.run(seed_plan(dsn, generated))
            seeded[shape.key] = Seeded(url, dsn, tuple(range(1, len(generated.arts) + 1)), rows)
        version = asyncio.run(_fetchval(seeded[ART.key].dsn, "SHOW server_version"))
        yield GraphEnv(seeded, str(version))
    finally:
        for drop in drops:
            drop()


async def _fetchval(dsn: str, sql: str) -> Any:
    connection = await asyncpg.connect(dsn)
    try:
        return await connection.fetchval(sql)
    finally:
        await connection.close()


async def _time_async(fn: Callable[[], Awaitable[Any]], runs: int) -> tuple[Timing, Any]:
    ms: list[float] = []
    result: Any = None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = await fn()
        ms.append((time.perf_counter() - start) * 1000)
    return Timing(ms), result


async def _load_timings(seeded: Seeded, expected: Plan, runs: int) -> dict[Part, Timing]:
    """The plain asyncpg load of each set of parts an analysis needs; the full load is
    checked against the generated plan."""
    connection = await asyncpg.connect(seeded.dsn)
    try:
        # One warm-up load: the connection's prepared statements, the catalog caches.
        loaded = await load_plan_rows(connection, seeded.art_ids)
        problems = differences(expected, loaded)
        assert not problems, f"the loaded plan differs from the generated one: {problems}"
        out: dict[Part, Timing] = {}
        for parts in {a.parts for a in ANALYSES}:
            timing, _ = await _time_async(
                functools.partial(load_plan_rows, connection, seeded.art_ids, parts), runs
            )
            out[parts] = timing
        return out
    finally:
        await connection.close()


async def _service_load(seeded: Seeded, expected: Plan, runs: int) -> dict[str, Any]:
    """services.analysis.plans.load_plan, when it exists: timed, and compared with the plan."""
    try:
        module = importlib.import_module("services.analysis.plans")
    except ModuleNotFoundError:
        return {"status": "services.analysis.plans does not exist (yet): not timed"}
    load_plan = getattr(module, "load_plan", None)
    if load_plan is None:
        return {"status": "services.analysis.plans has no load_plan (yet): not timed"}
    signature = inspect.signature(load_plan)
    engine = create_async_engine(seeded.url)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            arguments: list[Any] = []
            for name, parameter in signature.parameters.items():
                if parameter.default is not inspect.Parameter.empty:
                    break
                if name in ("session", "db", "connection"):
                    arguments.append(session)
                elif "art" in name:
                    plural = name.endswith("s")
                    if not plural and len(seeded.art_ids) > 1:
                        return {
                            "status": f"load_plan{signature} takes one ART: not timed for "
                            f"{len(seeded.art_ids)} ARTs"
                        }
                    arguments.append(list(seeded.art_ids) if plural else seeded.art_ids[0])
                else:
                    return {"status": f"load_plan{signature}: parameter {name!r} not understood"}

            async def call() -> Any:
                answer = load_plan(*arguments)
                return await answer if inspect.isawaitable(answer) else answer

            try:
                await call()  # warm-up
                timing, loaded = await _time_async(call, runs)
            except Exception as exc:
                return {"status": f"load_plan{signature} failed: {type(exc).__name__}: {exc}"}
            out: dict[str, Any] = {"status": "ok", "signature": str(signature)}
            out.update(timing.as_json())
            out["returned"] = type(loaded).__name__
            plan = loaded if isinstance(loaded, Plan) else getattr(loaded, "plan", None)
            if isinstance(plan, Plan):
                out["items"], out["dependencies"] = len(plan.items), len(plan.dependencies)
                # Its own conventions (team labels, feature estimates...) may differ from
                # this loader's: reported, not asserted.
                out["differences_from_generated"] = differences(expected, plan)
            return out
    finally:
        await engine.dispose()


# The cycle guard --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Probe:
    name: str
    dependent: str
    prerequisite: str
    reach: int
    closes: bool


def _probes(plan: Plan) -> list[Probe]:
    """New dependencies to guard: the worst walk (the prerequisite that depends, directly or
    not, on the most items) that closes no cycle, a typical one, and one that closes a cycle
    (the new dependent is the item farthest down that walk)."""
    graph, _ = graph_rx.depends_on_graph(plan)
    ids = [item.id for item in plan.items]
    roots = list(rx.topological_sort(graph))[:200]
    reach = {n: rx.descendants(graph, n) for n in roots}
    worst = max(roots, key=lambda n: (len(reach[n]), -n))
    sizes = sorted(roots, key=lambda n: (len(reach[n]), n))
    typical = sizes[len(sizes) // 2]

    def free_dependent(prerequisite: int) -> int:
        taken = reach[prerequisite] | {prerequisite}
        return next(
            n for n in range(len(ids)) if n not in taken and not graph.has_edge(n, prerequisite)
        )

    distances = rx.digraph_dijkstra_shortest_path_lengths(graph, worst, lambda _: 1.0)
    farthest = max(distances, key=lambda n: (distances[n], -n))
    return [
        Probe(
            "worst walk, no cycle", ids[free_dependent(worst)], ids[worst], len(reach[worst]), False
        ),
        Probe(
            "typical walk, no cycle",
            ids[free_dependent(typical)],
            ids[typical],
            len(reach[typical]),
            False,
        ),
        Probe("closes a cycle", ids[farthest], ids[worst], len(reach[worst]), True),
    ]


def _guard_sql(dependent: int, prerequisite: int) -> tuple[str, list[Any]]:
    """The service's guard query (services.dependencies._closing_walk) as the asyncpg dialect
    sends it: the SQL text and its positional arguments. It returns the walk's edges only when
    the walk closes a cycle, else NULL."""
    query = dependency_service._closing_walk("postgresql")
    dialect = create_async_engine("postgresql+asyncpg://").sync_engine.dialect
    compiled = query.compile(dialect=dialect)
    expanded = compiled.construct_expanded_state(
        {"dependent": dependent, "prerequisite": prerequisite}
    )
    arguments = [
        value.name if isinstance(value, enum.Enum) else value
        for value in expanded.positional_parameters
    ]
    return expanded.statement, arguments


async def _check_no_cycle(session: AsyncSession, dependent: int, prerequisite: int) -> Problems:
    problems = Problems()
    await dependency_service.check_no_cycle(session, problems, dependent, prerequisite)
    return problems


async def _guard_database(
    seeded: Seeded, probes: Sequence[Probe], runs: int
) -> list[tuple[Timing | None, Timing | None, list[str]]]:
    """Per probe: the recursive CTE on plain asyncpg, the service's check_no_cycle through
    SQLAlchemy, and EXPLAIN ANALYZE of the CTE."""
    out: list[tuple[Timing | None, Timing | None, list[str]]] = []
    connection = await asyncpg.connect(seeded.dsn)
    engine = create_async_engine(seeded.url)
    try:
        for probe in probes:
            dependent, prerequisite = node(probe.dependent), node(probe.prerequisite)
            sql, arguments = _guard_sql(dependent, prerequisite)
            await connection.fetchval(sql, *arguments)
            sql_timing, hit = await _time_async(
                functools.partial(connection.fetchval, sql, *arguments), runs
            )
            assert (hit is not None) == probe.closes, (probe, hit)
            plan_lines = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *arguments)
            explain = [r[0] for r in plan_lines]
            async with AsyncSession(engine) as session:
                check = functools.partial(_check_no_cycle, session, dependent, prerequisite)
                await check()
                service, problems = await _time_async(check, runs)
                codes = [p.code for p in problems.items]
                assert codes == ([ErrorCode.CYCLE] if probe.closes else []), codes
            out.append((sql_timing, service, explain))
    finally:
        await connection.close()
        await engine.dispose()
    return out


def _rx_closing_from_edges(
    edges: Sequence[tuple[int, int]], dependent: int, prerequisite: int
) -> list[int] | None:
    return graph_rx.closing(graph_rx.node_graph(edges), dependent, prerequisite)


def _guard_rows(size: str, plan: Plan, seeded: Seeded | None) -> list[GuardRow]:
    runs = GUARD_RUNS[size]
    probes = _probes(plan)
    # What the engine is given: the blocking edges as (dependent, prerequisite) strings, as
    # services.dependencies.check_no_cycle passes its rows; rustworkx gets the node numbers.
    edges = [(str(node(d.dependent)), str(node(d.prerequisite))) for d in plan.blocking]
    numbered = [(node(d.dependent), node(d.prerequisite)) for d in plan.blocking]
    prebuilt = graph_rx.node_graph(numbered)
    rows: list[GuardRow] = []
    for probe in probes:
        dependent, prerequisite = node(probe.dependent), node(probe.prerequisite)
        engine_check = functools.partial(closing_cycle, edges, str(dependent), str(prerequisite))
        engine, cycle = _time(engine_check, runs)
        rx_list, rx_cycle = _time(
            functools.partial(_rx_closing_from_edges, numbered, dependent, prerequisite), runs
        )
        rx_query, _ = _time(
            functools.partial(graph_rx.closing, prebuilt, dependent, prerequisite), runs
        )
        assert (cycle is not None) == probe.closes == (rx_cycle is not None)
        if cycle is not None:
            assert rx_cycle is not None
            assert len(cycle) == len(rx_cycle)
            assert cycle[:2] == [str(dependent), str(prerequisite)]
        row = GuardRow(size, probe.name, probe.reach, probe.closes, engine, rx_list, rx_query)
        if engine.median > GUARD_TARGET_MS and not any(r.profile for r in rows):
            row.profile = _profile(engine_check)  # one is enough: the same work each time
        rows.append(row)
    if seeded is not None:
        for row, (sql, service, explain) in zip(
            rows, asyncio.run(_guard_database(seeded, probes, runs)), strict=True
        ):
            row.sql, row.service, row.explain = sql, service, explain
    return rows


# Report -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph_report() -> Iterator[list[SizeReport]]:
    """Collects each size's figures; prints the tables and writes the JSON at the end."""
    reports: list[SizeReport] = []
    yield reports
    if reports:
        print(_table(reports))
        _write_json(reports)


def _ms(timing: Timing | None) -> str:
    return "—" if timing is None else f"{timing.median:,.1f}"


def _table(reports: list[SizeReport]) -> str:
    header = (
        f"{'size':<10}{'analysis':<37}{'engine ms':>11}{'rustworkx ms':>14}{'ratio':>8}"
        f"{'load ms':>10}  note"
    )
    lines = [
        "",
        f"Graph benchmark: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"networkx {nx.__version__}, rustworkx {RUSTWORKX}; medians "
        f"(ART {RUNS[ART.key]} runs, portfolio {RUNS[PORTFOLIO.key]}, stress 1); "
        "load = asyncpg fetch of the rows the analysis needs + building the Plan",
        header,
        "-" * len(header),
    ]
    for report in reports:
        for row in report.rows:
            ratio = (
                f"{row.engine.median / row.rx.median:.1f}x"
                if row.engine is not None and row.rx is not None
                else "—"
            )
            load = "—" if row.load_ms is None else f"{row.load_ms:,.1f}"
            notes = []
            if row.status != "ok":
                notes.append(row.status)
            if row.rx_status and row.rx_status != "ok":
                notes.append(f"rustworkx: {row.rx_status}")
            if row.missed:
                notes.append(f"MISSES {row.target_ms:,.0f} ms")
            if row.peak_rss_mb is not None:
                notes.append(f"peak RSS {row.peak_rss_mb:,.0f} MB")
            if row.rx_peak_rss_mb is not None:
                notes.append(f"rustworkx peak RSS {row.rx_peak_rss_mb:,.0f} MB")
            lines.append(
                f"{row.size:<10}{row.analysis:<37}{_ms(row.engine):>11}{_ms(row.rx):>14}"
                f"{ratio:>8}{load:>10}  {'; '.join(notes)}"
            )
        lines.append("")
    guard_header = (
        f"{'size':<10}{'cycle guard probe':<25}{'reach':>7}{'engine':>9}{'rx list':>9}"
        f"{'rx query':>10}{'SQL CTE':>9}{'service':>9}"
    )
    lines += [
        f"Cycle guard of one new dependency (median ms; target {GUARD_TARGET_MS:.0f} ms): "
        "engine = graph.cycles.closing_cycle over the plan's edge list; rx list = rustworkx "
        "graph from the same edges + shortest path; rx query = prebuilt graph; SQL CTE = the "
        "service's recursive query on asyncpg; service = check_no_cycle via SQLAlchemy",
        guard_header,
        "-" * len(guard_header),
    ]
    for report in reports:
        for g in report.guards:
            lines.append(
                f"{g.size:<10}{g.probe:<25}{g.reach:>7}{_ms(g.engine):>9}{_ms(g.rx_edge_list):>9}"
                f"{_ms(g.rx_query):>10}{_ms(g.sql):>9}{_ms(g.service):>9}"
            )
    for report in reports:
        for note in report.notes:
            lines.append(f"{report.shape.key}: {note}")
    for report in reports:
        profiled = [r for r in report.rows if r.profile] + [g for g in report.guards if g.profile]
        for item in profiled:
            name = item.analysis if isinstance(item, Row) else f"cycle guard, {item.probe}"
            why = (
                "misses its target"
                if not isinstance(item, Row) or item.missed
                else f"over {PORTFOLIO_PROFILE_MS:,.0f} ms of the suite's budget"
            )
            lines.append(f"cProfile, {report.shape.key} {name} ({why}), top tottime:")
            for entry in item.profile or ():
                lines.append(
                    f"    {entry['tottime_ms']:>9.1f} ms self {entry['cumtime_ms']:>9.1f} ms cum "
                    f"{entry['calls']:>9}x  {entry['function']}"
                )
    lines.append(f"Figures written to {RESULTS_PATH}")
    return "\n".join(lines)


def _write_json(reports: list[SizeReport]) -> None:
    document = {
        "benchmark": "graph",
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "python_implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "networkx": nx.__version__,
            "rustworkx": RUSTWORKX,
        },
        "targets": {
            "art_analysis_ms": ART_TARGET_MS,
            "cycle_guard_ms": GUARD_TARGET_MS,
            "portfolio_suite_ms": SUITE_TARGET_MS,
            "stress": "completes without running out of memory",
        },
        "sizes": [
            {
                "size": r.shape.key,
                "shape": {
                    "arts": r.shape.arts,
                    "per_art": {
                        k: getattr(r.shape.art, k) for k in r.shape.art.__dataclass_fields__
                    },
                    "cross_art_dependencies": r.shape.cross_art,
                    "seed": r.shape.seed,
                },
                "generated": r.stats,
                **r.extra,
                "analyses": [row.as_json() for row in r.rows],
                "cycle_guard": [g.as_json() for g in r.guards],
                "notes": r.notes,
            }
            for r in reports
        ],
    }
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(json.dumps(document, indent=2, default=str) + "\n")


# The tests --------------------------------------------------------------------------------


@pytest.mark.perf
@pytest.mark.parametrize("shape", [ART, PORTFOLIO], ids=[ART.key, PORTFOLIO.key])
def test_graph_benchmark(
    shape: PlanShape, graph_env: GraphEnv, graph_report: list[SizeReport]
) -> None:
    generated = _generated(shape)
    _check_shape(generated)
    plan, size, runs = generated.plan, shape.key, RUNS[shape.key]
    inputs = _inputs(plan)
    seeded = graph_env.seeded[size]
    report = SizeReport(shape, dict(generated.stats))
    report.extra["postgresql"] = graph_env.postgres_version
    report.extra["seeded_rows"] = seeded.rows

    loads = asyncio.run(_load_timings(seeded, plan, LOAD_RUNS[size]))
    for analysis in ANALYSES:
        engine, answer = _time(_fresh(analysis.engine, plan, inputs), runs)
        row = Row(size, analysis.name, engine, load_ms=loads[analysis.parts].median)
        row.summary = analysis.summary(answer)
        if (rx_fn := analysis.rx) is not None:
            row.rx, rx_answer = _time(_fresh(rx_fn, plan, inputs), runs)
            row.rx_status = "ok"
            assert rx_answer == row.summary, (
                f"{size} {analysis.name}: engine {_short(row.summary)} != rustworkx {_short(rx_answer)}"
            )
        if size == ART.key and analysis.name != SUITE:
            row.target_ms = ART_TARGET_MS
        elif analysis.name == SUITE:
            row.target_ms = SUITE_TARGET_MS
        if row.missed or (size == PORTFOLIO.key and engine.median > PORTFOLIO_PROFILE_MS):
            row.profile = _profile(_fresh(analysis.engine, plan, inputs))
        _check_answers(row, size)
        report.rows.append(row)

    # The engine and rustworkx agree on knots when there are some: three back edges.
    knotted = _with_back_edges(plan, 3)
    engine_knots = [c.members for c in find_cycles(knotted)]
    assert 1 <= len(engine_knots) <= 3
    assert engine_knots == graph_rx.knots(knotted)
    assert critical_path(knotted, 1).cycles

    service = asyncio.run(_service_load(seeded, plan, LOAD_RUNS[size]))
    report.extra["service_load_plan"] = service
    report.notes.append(f"services.analysis.plans.load_plan: {_describe(service)}")
    full = loads[ALL_PARTS]
    report.notes.append(
        f"plain asyncpg load of the whole plan: {full.median:,.1f} ms median "
        f"({len(plan.items):,} items, {len(plan.dependencies):,} dependencies)"
    )
    report.guards = _guard_rows(size, plan, seeded)
    graph_report.append(report)


def _status(report: SizeReport, analysis: str) -> str:
    return next(r.status for r in report.rows if r.analysis == analysis)


def _describe(service: dict[str, Any]) -> str:
    if service.get("status") != "ok":
        return str(service.get("status"))
    text = (
        f"{service['median_ms']:,.1f} ms median, {service.get('items', '?'):,} items, "
        f"{service.get('dependencies', '?'):,} dependencies (load_plan{service['signature']})"
    )
    found = service.get("differences_from_generated")
    if found:
        text += "; differs from the generated plan in: " + "; ".join(found)
    return text


def _with_back_edges(plan: Plan, count: int) -> Plan:
    """The plan plus `count` dependencies that each close a cycle: a prerequisite of a
    blocking dependency made to depend on its dependent."""
    chosen = [d for d in plan.blocking if d.dependent[0] == d.prerequisite[0] == "S"][::97][:count]
    extra = tuple(Dependency(f"X{n}", d.prerequisite, d.dependent) for n, d in enumerate(chosen))
    return Plan(
        plan.items,
        (*plan.dependencies, *extra),
        plan.components,
        plan.touches,
        plan.iterations,
        plan.capacity,
        plan.milestones,
    )


@pytest.mark.perf
def test_graph_stress(graph_report: list[SizeReport]) -> None:
    """200,000 items and 500,000 dependencies: each analysis once, isolated."""
    rss_before, maxrss_before = _rss_mb(), _maxrss_mb()
    start = time.perf_counter()
    generated = _generated(STRESS)
    generation_s = time.perf_counter() - start
    _check_shape(generated)
    plan = generated.plan
    inputs = _inputs(plan)
    gc.collect()
    report = SizeReport(STRESS, dict(generated.stats))
    rss_plan = _rss_mb() - rss_before
    report.extra["generation"] = {
        "seconds": round(generation_s, 2),
        "rss_growth_mb": round(rss_plan, 1),
        "maxrss_before_mb": round(maxrss_before, 1),
        "maxrss_after_mb": round(_maxrss_mb(), 1),
    }
    report.notes.append(
        f"generated {len(plan.items):,} items, {len(plan.dependencies):,} dependencies in "
        f"{generation_s:.1f} s; the plan (and the what-if inputs) take {rss_plan:,.0f} MB RSS"
    )
    completed = True
    for analysis in ANALYSES:
        row = Row(STRESS.key, analysis.name)
        needs = [
            r.analysis
            for r in report.rows
            if r.analysis in analysis.needs or analysis.name == SUITE
        ]
        failed = [name for name in needs if _status(report, name) != "ok"]
        if failed:
            row.status = f"not run: {', '.join(failed)} did not complete"
            completed = False
            report.rows.append(row)
            continue
        outcome = _isolated(
            _fresh(analysis.engine, plan, inputs),
            analysis.summary,
            STRESS_TIMEOUT_S * (2 if analysis.name == SUITE else 1),
        )
        row.status, row.summary = outcome.status, outcome.summary
        row.peak_rss_mb = outcome.peak_rss_mb
        if outcome.ms is not None:
            row.engine = Timing([outcome.ms])
        completed &= outcome.status == "ok"
        if (rx_fn := analysis.rx) is not None:
            rx_outcome = _isolated(
                _fresh(rx_fn, plan, inputs),
                _same,
                STRESS_TIMEOUT_S,
            )
            row.rx_status, row.rx_peak_rss_mb = rx_outcome.status, rx_outcome.peak_rss_mb
            if rx_outcome.ms is not None:
                row.rx = Timing([rx_outcome.ms])
            if outcome.status == rx_outcome.status == "ok":
                assert rx_outcome.summary == outcome.summary, (
                    f"stress {analysis.name}: engine {_short(outcome.summary)} != "
                    f"rustworkx {_short(rx_outcome.summary)}"
                )
        if outcome.status == "ok":
            _check_answers(row, STRESS.key)
        report.rows.append(row)
    peaks = [r.peak_rss_mb for r in report.rows if r.peak_rss_mb is not None]
    report.extra["completed"] = completed
    report.extra["peak_rss_mb"] = round(max(peaks), 1) if peaks else None
    report.extra["benchmark_process_maxrss_mb"] = round(_maxrss_mb(), 1)
    report.notes.append(
        f"{'every analysis completed' if completed else 'NOT every analysis completed'}; "
        f"peak RSS of an analysis (its child process, plan included) {max(peaks):,.0f} MB; "
        f"limits per analysis: {STRESS_TIMEOUT_S:.0f} s, {STRESS_MEMORY_LIMIT >> 30} GB address space"
    )
    report.extra["python_recursion_limit"] = sys.getrecursionlimit()
    graph_report.append(report)
