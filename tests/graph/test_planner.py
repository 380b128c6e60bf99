"""The proposed plan on hand-made plans: exact moves, reasons, unplaced items and load."""

from __future__ import annotations

import datetime as dt

from graph.model import Dependency, Item, ItemKind, Iteration, Plan, Slot
from graph.planner import PlanMove, Unplaced, propose_plan

ATLAS, NOVA = "Team Atlas", "Team Nova"
ITERATIONS = (
    Iteration((1, 1), "Iteration 1", end=dt.date(2027, 1, 14)),
    Iteration((1, 2), "Iteration 2", end=dt.date(2027, 1, 28)),
    Iteration((1, 3), "Iteration 3", end=dt.date(2027, 2, 11)),
    Iteration((1, 4), "IP", ip=True, end=dt.date(2027, 2, 25)),
)
REGULAR: tuple[Slot, ...] = ((1, 1), (1, 2), (1, 3))


def feature(number: int, team: str, slot: Slot | None, wsjf: float) -> Item:
    return Item(f"F{number}", f"PAY-{number}", ItemKind.FEATURE, team, slot=slot, wsjf=wsjf)


def story(
    number: int, team: str, slot: Slot | None, points: int | None, parent: int, **kw: object
) -> Item:
    return Item(
        f"S{number}",
        f"ST-{number}",
        ItemKind.STORY,
        team,
        slot=slot,
        estimate=points,
        parent=f"F{parent}",
        rank=number,
        **kw,  # type: ignore[arg-type]  # tests pass only Item's own keyword fields
    )


def plan(
    items: list[Item], deps: tuple[Dependency, ...] = (), atlas: int = 5, nova: int = 5
) -> Plan:
    capacity = {(ATLAS, s): atlas for s in REGULAR} | {(NOVA, s): nova for s in REGULAR}
    return Plan(tuple(items), deps, iterations=ITERATIONS, capacity=capacity)


def test_stories_fill_the_first_iterations_with_room_in_wsjf_order() -> None:
    p = plan(
        [
            feature(1, ATLAS, (1, 1), wsjf=2.0),
            story(11, ATLAS, None, 3, parent=1),
            feature(2, ATLAS, (1, 1), wsjf=9.0),
            story(21, ATLAS, None, 4, parent=2),
            story(22, ATLAS, None, 2, parent=2),
        ]
    )
    result = propose_plan(p, 1)
    assert result.moves == (
        PlanMove(
            "S21",
            None,
            (1, 1),
            "ST-21 to Iteration 1 for PAY-2 (WSJF 9.0): Team Atlas has 5 of 5 points left.",
        ),
        PlanMove(
            "S22",
            None,
            (1, 2),
            "ST-22 to Iteration 2 for PAY-2 (WSJF 9.0): Team Atlas has 5 of 5 points left.",
        ),
        PlanMove("F2", (1, 1), (1, 2), "PAY-2 completes with its last story in Iteration 2."),
        PlanMove(
            "S11",
            None,
            (1, 2),
            "ST-11 to Iteration 2 for PAY-1 (WSJF 2.0): Team Atlas has 3 of 5 points left.",
        ),
        PlanMove("F1", (1, 1), (1, 2), "PAY-1 completes with its last story in Iteration 2."),
    )
    assert result.unplaced == ()
    assert {k: v for k, v in result.load.items() if v} == {(ATLAS, (1, 1)): 4, (ATLAS, (1, 2)): 5}


def test_a_story_goes_after_what_it_waits_for_even_in_another_team() -> None:
    p = plan(
        [
            feature(1, ATLAS, (1, 3), wsjf=5.0),
            story(11, ATLAS, None, 2, parent=1),
            feature(2, NOVA, (1, 3), wsjf=1.0),
            story(21, NOVA, None, 3, parent=2),
        ],
        (Dependency("D1", "S11", "S21"),),
    )
    result = propose_plan(p, 1)
    assert result.moves == (
        PlanMove(
            "S11",
            None,
            (1, 2),
            "ST-11 to Iteration 2 for PAY-1 (WSJF 5.0): after ST-21 (Iteration 1); Team Atlas has 5 of 5 points left.",
        ),
        PlanMove("F1", (1, 3), (1, 2), "PAY-1 completes with its last story in Iteration 2."),
        PlanMove(
            "S21",
            None,
            (1, 1),
            "ST-21 to Iteration 1 for PAY-2 (WSJF 1.0): Team Nova has 5 of 5 points left.",
        ),
        PlanMove("F2", (1, 3), (1, 1), "PAY-2 completes with its last story in Iteration 1."),
    )


def test_what_cannot_be_placed_says_why() -> None:
    p = plan(
        [
            feature(1, ATLAS, (1, 1), wsjf=3.0),
            story(11, ATLAS, None, 8, parent=1),  # more than a whole iteration
            story(12, ATLAS, None, None, parent=1),  # no estimate
            story(13, ATLAS, None, 1, parent=1),  # waits for the unplaceable ST-11
        ],
        (Dependency("D1", "S13", "S11"),),
    )
    result = propose_plan(p, 1)
    assert result.unplaced == (
        Unplaced(
            "S11",
            "ST-11 (8 points) does not fit Team Atlas's capacity in any iteration; the most left is 5 in Iteration 1",
        ),
        Unplaced("S12", "ST-12 has no estimate, so it cannot be fitted to capacity"),
        Unplaced("S13", "ST-13 cannot be placed: it waits for ST-11, which cannot be placed"),
    )
    assert result.moves == ()


def test_iterations_that_have_ended_take_no_new_work() -> None:
    items = [
        feature(1, ATLAS, (1, 1), wsjf=3.0),
        story(11, ATLAS, (1, 1), 2, parent=1),  # not started in an iteration that has ended
        story(12, ATLAS, None, 2, parent=1),
    ]
    before = propose_plan(plan(items), 1, today=dt.date(2027, 1, 14))  # Iteration 1's last day
    assert [(m.item, m.to) for m in before.moves] == [("S12", (1, 1))]
    after = propose_plan(plan(items), 1, today=dt.date(2027, 1, 15))
    assert after.moves == (
        PlanMove(
            "S11",
            (1, 1),
            (1, 2),
            "ST-11 to Iteration 2 for PAY-1 (WSJF 3.0): Team Atlas has 5 of 5 points left.",
        ),
        PlanMove(
            "S12",
            None,
            (1, 2),
            "ST-12 to Iteration 2 for PAY-1 (WSJF 3.0): Team Atlas has 3 of 5 points left.",
        ),
        PlanMove("F1", (1, 1), (1, 2), "PAY-1 completes with its last story in Iteration 2."),
    )
    ended = propose_plan(plan(items), 1, today=dt.date(2027, 2, 12))  # only the IP is left
    assert ended.moves == ()
    assert ended.unplaced == (
        Unplaced(
            "S11",
            "ST-11 cannot be placed: every regular iteration of the planning interval has ended",
        ),
        Unplaced(
            "S12",
            "ST-12 cannot be placed: every regular iteration of the planning interval has ended",
        ),
    )


def test_started_work_stays_and_uses_up_capacity() -> None:
    p = plan(
        [
            feature(1, ATLAS, (1, 1), wsjf=3.0),
            story(11, ATLAS, (1, 1), 4, parent=1, movable=False),
            story(12, ATLAS, None, 2, parent=1),
        ]
    )
    result = propose_plan(p, 1)
    assert result.moves == (
        PlanMove(
            "S12",
            None,
            (1, 2),
            "ST-12 to Iteration 2 for PAY-1 (WSJF 3.0): Team Atlas has 5 of 5 points left.",
        ),
        PlanMove("F1", (1, 1), (1, 2), "PAY-1 completes with its last story in Iteration 2."),
    )
    assert result.load[(ATLAS, (1, 1))] == 4


def test_a_story_goes_before_started_work_that_waits_for_it() -> None:
    items = [
        feature(1, ATLAS, (1, 3), wsjf=5.0),
        story(11, ATLAS, (1, 2), 3, parent=1, movable=False),  # started, waits for ST-21
        feature(2, NOVA, (1, 3), wsjf=1.0),
        story(21, NOVA, None, 3, parent=2),
    ]
    deps = (Dependency("D1", "S11", "S21"),)
    result = propose_plan(plan(items, deps), 1)
    assert [m for m in result.moves if m.item == "S21"] == [
        PlanMove(
            "S21",
            None,
            (1, 1),
            "ST-21 to Iteration 1 for PAY-2 (WSJF 1.0): before ST-11 (Iteration 2), which waits "
            "for it; Team Nova has 5 of 5 points left.",
        )
    ]
    full = propose_plan(plan(items, deps, nova=2), 1)
    assert full.unplaced == (
        Unplaced(
            "S21",
            "ST-21 (3 points) does not fit Team Nova's capacity in any iteration before ST-11 (Iteration 2), which waits for it; the most left is 2 in Iteration 1",
        ),
    )
